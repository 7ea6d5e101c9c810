package dev.kvstore.model;

import java.util.List;

/**
 * Names the keys of one table of a node whose ring hash ({@link KeyHash}) falls in any of the ranges:
 * what a node exports, drops or counts. An empty list selects nothing.
 *
 * @param table  OWN or PREV
 * @param ranges arcs of the ring; a key is selected when {@link HashRange#containsKey} holds for any
 */
public record RangeRequest(Table table, List<HashRange> ranges) {
}
