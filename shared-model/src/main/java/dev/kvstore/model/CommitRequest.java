package dev.kvstore.model;

/** Phase two, commit: {@code version} becomes the key's version on every replica. */
public record CommitRequest(long version) {
}
