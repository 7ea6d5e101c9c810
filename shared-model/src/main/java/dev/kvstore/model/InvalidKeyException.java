package dev.kvstore.model;

/** A key that breaks the {@link Keys} rules; the message says which, for the client to fix. */
public class InvalidKeyException extends IllegalArgumentException {

    public InvalidKeyException(String message) {
        super(message);
    }
}
