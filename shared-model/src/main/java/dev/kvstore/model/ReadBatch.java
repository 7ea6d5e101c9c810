package dev.kvstore.model;

import java.util.List;

/**
 * Reads of one node sent in one request ({@code POST /internal/kv/batch}), so that concurrent cache misses
 * share HTTP requests: the only way the coordinator reads a node. The node answers one {@link ReadReply}
 * per read, in order.
 */
public record ReadBatch(List<KeyRead> reads) {

    public ReadBatch {
        reads = reads == null ? List.of() : List.copyOf(reads);
    }
}
