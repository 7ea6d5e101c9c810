package dev.kvstore.coordinator.kv;

public class ValueTooLargeException extends RuntimeException {

    public ValueTooLargeException(long limit) {
        super("the value exceeds the limit of " + limit + " bytes");
    }
}
