package dev.kvstore.node.storage;

/** A read of a key that a transaction in doubt holds: this node cannot tell whether its value is current. */
public class KeyInDoubtException extends RuntimeException {

    public KeyInDoubtException(String key) {
        super("key '" + key + "' is held by a transaction whose outcome this node does not know yet; "
                + "read it from the other replica, or retry shortly");
    }
}
