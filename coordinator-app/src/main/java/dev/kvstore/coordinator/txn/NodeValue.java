package dev.kvstore.coordinator.txn;

/** A committed value as a node returned it. */
public record NodeValue(byte[] value, String contentType, long version) {
}
