package dev.kvstore.coordinator.kv;

/** The write was decided and committed on some replicas, but not confirmed by all in time. */
public class WriteUnconfirmedException extends RuntimeException {

    public WriteUnconfirmedException(String key, String nodeId, long version) {
        super("the write of key '" + key + "' at version " + version + " was committed but node " + nodeId
                + " has not confirmed it yet; the coordinator keeps retrying, and a read may or may not see it");
    }
}
