package dev.kvstore.coordinator.nodeclient;

import dev.kvstore.model.KeyRead;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.Vote;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The node calls of concurrent client requests sharing HTTP requests: prepares, commits and aborts
 * travel in one {@link Batcher} per node, reads in another, so under load a node gets one request per
 * round trip instead of one per message, and the records of a batch share its fsyncs. A COMMIT lingers a
 * moment to ride the next batch to its node rather than leave alone. Each caller still
 * gets exactly its own message's answer, or the failure of the batch it travelled in; a lone message
 * travels as a batch of one.
 */
public final class BatchingNodeClient implements NodeClient {

    /** Sends batches over the wire; {@link HttpNodeTransport} in production. */
    public interface Transport {

        /** Prepares, commits and aborts: one reply per message, in order (see {@link Batcher.Transport#send}). */
        List<TxnReply> sendTxns(String url, List<TxnMessage> batch);

        /** Reads: one reply per read, in order (see {@link Batcher.Transport#send}). */
        List<ReadReply> readMany(String url, List<KeyRead> batch);
    }

    /** What a message counts toward a batch's size besides its value. */
    private static final int MESSAGE_OVERHEAD = 128;

    private final Batcher<TxnMessage, TxnReply> txns;
    private final Batcher<KeyRead, ReadReply> reads;
    private final Duration commitLinger;

    /**
     * @param executor    runs the sends that no caller makes itself, and those of the calls nobody waits for
     *                    (virtual threads)
     * @param maxInFlight batches on the wire to one node at once, per kind (2PC, reads)
     * @param maxMessages messages in one batch
     * @param maxBytes    values' bytes in one 2PC batch; a single larger value travels alone
     * @param commitLinger how long a COMMIT waits to ride another message's batch before it leaves alone
     *                     (see {@link Batcher#submitLazily}); zero sends it at once
     */
    public BatchingNodeClient(Transport transport, Executor executor, int maxInFlight, int maxMessages,
                              long maxBytes, Duration commitLinger) {
        this.commitLinger = commitLinger;
        this.txns = new Batcher<>(transport::sendTxns, BatchingNodeClient::weight, executor, maxInFlight,
                maxMessages, maxBytes);
        this.reads = new Batcher<>(transport::readMany, read -> MESSAGE_OVERHEAD, executor, maxInFlight, maxMessages,
                (long) maxMessages * MESSAGE_OVERHEAD);
    }

    @Override
    public Vote prepare(String url, String txId, PrepareRequest request) {
        return exchange(url, TxnMessage.prepare(txId, request)).vote();
    }

    @Override
    public void commit(String url, String txId, long version) {
        exchange(url, TxnMessage.commit(txId, version));
    }

    @Override
    public CompletableFuture<Vote> prepareAsync(String url, String txId, PrepareRequest request) {
        TxnMessage prepare = TxnMessage.prepare(txId, request);
        return txns.submit(url, prepare).handle((reply, failure) -> checked(url, prepare, reply, failure).vote());
    }

    @Override
    public CompletableFuture<Void> commitLater(String url, String txId, long version) {
        TxnMessage commit = TxnMessage.commit(txId, version);
        return txns.submitLazily(url, commit, commitLinger).handle((reply, failure) -> {
            checked(url, commit, reply, failure);
            return null;
        });
    }

    @Override
    public void hurryCommits(String url) {
        txns.hurry(url);
    }

    @Override
    public void abort(String url, String txId) {
        exchange(url, TxnMessage.abort(txId));
    }

    @Override
    public Optional<NodeValue> read(String url, Table table, String key) {
        ReadReply reply = reads.exchange(url, new KeyRead(table, key));
        if (reply.error() == null) {
            return Optional.of(new NodeValue(reply.value() == null ? new byte[0] : reply.value(), reply.contentType(),
                    reply.version()));
        }
        if (reply.error() == NodeError.KEY_NOT_FOUND) {
            return Optional.empty();
        }
        // KEY_IN_DOUBT among them: the value there may be stale, and the caller reads elsewhere.
        throw NodeFailures.of(url, reply.error(), "read of " + key + ": " + reply.detail());
    }

    /** Messages waiting for a 2PC batch to the node at {@code url}. */
    int waiting(String url) {
        return txns.waiting(url);
    }

    private TxnReply exchange(String url, TxnMessage message) {
        return checked(url, message, txns.exchange(url, message));
    }

    private static TxnReply checked(String url, TxnMessage message, TxnReply reply, Throwable failure) {
        if (failure != null) {
            throw Batcher.unavailable(url, failure);
        }
        return checked(url, message, reply);
    }

    private static TxnReply checked(String url, TxnMessage message, TxnReply reply) {
        if (reply.ok()) {
            return reply;
        }
        throw NodeFailures.of(url, reply.error(), message.kind() + " of txId=" + message.txId() + ": " + reply.detail());
    }

    private static long weight(TxnMessage message) {
        PrepareRequest prepare = message.prepare();
        return MESSAGE_OVERHEAD + (prepare == null || prepare.value() == null ? 0 : prepare.value().length);
    }
}
