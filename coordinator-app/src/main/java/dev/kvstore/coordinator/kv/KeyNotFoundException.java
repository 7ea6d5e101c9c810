package dev.kvstore.coordinator.kv;

public class KeyNotFoundException extends RuntimeException {

    public KeyNotFoundException(String key) {
        super("no value is stored under key '" + key + "'");
    }
}
