package dev.kvstore.coordinator.txn;

import dev.kvstore.model.Table;

/** One copy of a key: the node holding it and the table it lives in there. */
public record Replica(String nodeId, String url, Table table) {
}
