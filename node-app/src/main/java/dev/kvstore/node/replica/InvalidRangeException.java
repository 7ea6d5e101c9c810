package dev.kvstore.node.replica;

/** A range operation that can never succeed as sent (missing table, missing or too many ranges): the caller must fix it. */
public class InvalidRangeException extends RuntimeException {

    public InvalidRangeException(String message) {
        super(message);
    }
}
