package dev.kvstore.coordinator.kv;

/** A committed value as the client sees it. */
public record CachedValue(byte[] value, String contentType, long version) {
}
