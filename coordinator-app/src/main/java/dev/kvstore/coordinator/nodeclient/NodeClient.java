package dev.kvstore.coordinator.nodeclient;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.Vote;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The calls the coordinator makes to a node. Every call is idempotent on the node's side, so an
 * implementation may retry one that failed on a stale connection. A node that cannot be asked, does not
 * answer in time or fails throws {@link NodeUnavailableException}; one that refuses the call for good
 * throws {@link NodeRejectedException}.
 */
public interface NodeClient {

    Vote prepare(String url, String txId, PrepareRequest request);

    void commit(String url, String txId, long version);

    /**
     * {@link #prepare} without waiting for the vote: the future completes with it, or fails with what
     * {@code prepare} would throw. By default {@code prepare} runs on a virtual thread of its own.
     */
    default CompletableFuture<Vote> prepareAsync(String url, String txId, PrepareRequest request) {
        return CompletableFuture.supplyAsync(() -> prepare(url, txId, request), Thread::startVirtualThread);
    }

    /**
     * A COMMIT nobody waits for (the client was answered): it may wait a moment to ride another message's
     * request instead of one of its own ({@link #hurryCommits} sends it at once). The future completes
     * once the node acknowledged it, or fails with what {@link #commit} would throw. By default {@code
     * commit} runs on a virtual thread of its own.
     */
    default CompletableFuture<Void> commitLater(String url, String txId, long version) {
        return CompletableFuture.runAsync(() -> commit(url, txId, version), Thread::startVirtualThread);
    }

    /** Sends now the COMMITs to the node at {@code url} that wait to ride a later request; none by default. */
    default void hurryCommits(String url) {
    }

    void abort(String url, String txId);

    /** The committed value of {@code key} in the node's {@code table}; empty when absent. */
    Optional<NodeValue> read(String url, Table table, String key);
}
