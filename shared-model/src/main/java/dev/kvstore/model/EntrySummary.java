package dev.kvstore.model;

/** One key of a node's table, without its value. */
public record EntrySummary(String key, long version, String contentType, int size) {
}
