package dev.kvstore.node.storage;

/** A committed value: its bytes, media type and version. */
public record StoredValue(byte[] value, String contentType, long version) {
}
