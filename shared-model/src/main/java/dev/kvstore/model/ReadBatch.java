package dev.kvstore.model;

import java.util.List;

/**
 * Reads of one node sent in one request, so that concurrent cache misses share HTTP requests. The node
 * answers one {@link ReadReply} per read, in order, each as its single read ({@code GET /internal/kv})
 * would have.
 */
public record ReadBatch(List<KeyRead> reads) {

    public ReadBatch {
        reads = reads == null ? List.of() : List.copyOf(reads);
    }
}
