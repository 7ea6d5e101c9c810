package dev.kvstore.coordinator.kv;

/** If-Match or If-None-Match did not hold; nothing was written. */
public class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String key, long currentVersion) {
        super(currentVersion == 0 ? "key '" + key + "' does not exist"
                : "key '" + key + "' is at version " + currentVersion);
    }
}
