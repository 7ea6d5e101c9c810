package dev.kvstore.model;

import java.util.List;

/**
 * Tells a node to move the keys of {@code ranges} from one of its tables to the other (PREV to OWN
 * when it becomes primary for its dead predecessor's keys, OWN to PREV when a returning node takes
 * the primary role back). An entry the target table already holds at an equal or newer version is
 * only removed from {@code from}.
 */
public record RangeMoveRequest(Table from, Table to, List<HashRange> ranges) {
}
