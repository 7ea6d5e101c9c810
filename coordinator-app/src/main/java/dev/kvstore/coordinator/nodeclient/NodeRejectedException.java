package dev.kvstore.coordinator.nodeclient;

/** A node answered, but refused the call (a 4xx other than "not found"): repeating it cannot help. */
public class NodeRejectedException extends RuntimeException {

    public NodeRejectedException(String message) {
        super(message);
    }
}
