package dev.kvstore.coordinator.kv;

/**
 * A replica of the key has too little disk left for new values (below its high watermark); nothing was
 * written. Deletes still go through, so space can be freed; the client retries once it has been.
 */
public class InsufficientStorageException extends RuntimeException {

    public InsufficientStorageException(String key, String nodeId) {
        super("node " + nodeId + ", a replica of key '" + key + "', is low on disk space (below its high watermark) "
                + "and takes no new values until space is freed; deletes are still taken");
    }
}
