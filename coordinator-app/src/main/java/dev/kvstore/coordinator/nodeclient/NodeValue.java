package dev.kvstore.coordinator.nodeclient;

/** A committed value as a node returned it. */
public record NodeValue(byte[] value, String contentType, long version) {
}
