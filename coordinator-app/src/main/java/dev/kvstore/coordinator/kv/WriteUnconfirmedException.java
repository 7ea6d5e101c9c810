package dev.kvstore.coordinator.kv;

/**
 * The write's outcome is unknown: it did not commit here, but no replica refused it or confirmed its abort
 * either, so a replica that voted yes may still settle it as committed with its peer.
 */
public class WriteUnconfirmedException extends RuntimeException {

    public WriteUnconfirmedException(String key, String reason) {
        super("the write of key '" + key + "' may or may not have taken effect: " + reason + "; no replica "
                + "confirmed that it was not applied. Read the key to find out, or write it again");
    }
}
