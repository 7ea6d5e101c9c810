package dev.kvstore.coordinator.kv;

/** The request can never succeed as sent: the message says what to fix. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
