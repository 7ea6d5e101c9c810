package dev.kvstore.node.storage;

/** A read of a key the table does not hold; without a stack trace, as absent keys are routine. */
public class KeyNotFoundException extends RuntimeException {

    public KeyNotFoundException(String table, String key) {
        super("the " + table + " table holds no key '" + key + "'", null, false, false);
    }
}
