package dev.kvstore.model;

import java.util.List;

/**
 * Tells a node to pull the keys of {@code ranges} from {@code sourceTable} of the node at
 * {@code sourceUrl} and install them into its own {@code targetTable}, each only if newer than what
 * it holds. The data goes node to node, never through the coordinator.
 *
 * @param sourceUrl   base URL of the node to copy from, e.g. {@code http://127.0.0.1:41234}
 * @param sourceTable the table read on the source
 * @param targetTable the table written on the receiving node
 * @param ranges      arcs of the ring to copy
 */
public record RangeCopyRequest(String sourceUrl, Table sourceTable, Table targetTable, List<HashRange> ranges) {
}
