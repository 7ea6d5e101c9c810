package dev.kvstore.node.participant;

/** A prepare that can never succeed as sent: the caller must fix the request. */
public class InvalidPrepareException extends RuntimeException {

    public InvalidPrepareException(String message) {
        super(message);
    }
}
