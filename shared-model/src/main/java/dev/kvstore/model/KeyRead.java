package dev.kvstore.model;

/** One read inside a {@link ReadBatch}: the committed value of {@code key} in the node's {@code table}. */
public record KeyRead(Table table, String key) {
}
