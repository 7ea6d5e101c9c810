package dev.kvstore.node.cluster;

/** A ring published without an epoch or members. */
public class InvalidRingException extends RuntimeException {

    public InvalidRingException(String message) {
        super(message);
    }
}
