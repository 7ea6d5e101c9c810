package dev.kvstore.node.participant;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a batch of two-phase-commit messages, all at once, so that their log records share fsyncs
 * (group commit) and the batch costs about one fsync, not one per message. A failing message fails
 * alone, with its {@link NodeError}.
 */
public final class TxnBatches {

    private static final Logger log = LoggerFactory.getLogger(TxnBatches.class);

    private static final int MAX_TX_ID_LENGTH = 128;

    private final Participant participant;
    private final ExecutorService executor;
    private final int maxMessages;
    /** A failed log refuses every message: a few lines say so, not one per message. */
    private final LogThrottle walRefusals = new LogThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1));

    /** @param executor runs the messages of a batch concurrently (virtual threads) */
    public TxnBatches(Participant participant, ExecutorService executor, int maxMessages) {
        this.participant = participant;
        this.executor = executor;
        this.maxMessages = maxMessages;
    }

    /** One reply per message, in order; an oversized batch is refused whole. */
    public List<TxnReply> handle(List<TxnMessage> messages) {
        if (messages.size() > maxMessages) {
            throw new InvalidPrepareException("a batch holds at most " + maxMessages + " messages, this one has "
                    + messages.size());
        }
        if (messages.size() == 1) {
            return List.of(handle(messages.getFirst()));
        }
        List<Future<TxnReply>> running = new ArrayList<>(messages.size());
        for (TxnMessage message : messages) {
            running.add(executor.submit(() -> handle(message)));
        }
        List<TxnReply> replies = new ArrayList<>(messages.size());
        for (Future<TxnReply> reply : running) {
            replies.add(join(reply));
        }
        return replies;
    }

    private TxnReply handle(TxnMessage message) {
        try {
            if (message == null || message.kind() == null) {
                throw new InvalidPrepareException("each message needs a kind: PREPARE, COMMIT or ABORT");
            }
            return switch (message.kind()) {
                case PREPARE -> TxnReply.voted(participant.prepare(message.txId(), message.prepare()));
                case COMMIT -> {
                    if (message.version() == null) {
                        throw new InvalidPrepareException("a COMMIT needs a version");
                    }
                    yield TxnReply.decided(participant.commit(requireTxId(message), message.version()));
                }
                case ABORT -> TxnReply.decided(participant.abort(requireTxId(message)));
            };
        } catch (NodeErrorException e) {
            if (e.error() == NodeError.STORAGE_UNAVAILABLE) {
                LogThrottle.Admission admission = walRefusals.admit();
                if (admission.log()) {
                    log.error("nodeId={} txId={} write-ahead log unavailable: {}{}", participant.nodeId(),
                            message.txId(), e.getMessage(), admission.heldBack());
                }
            }
            return TxnReply.failed(e.error(), e.detail());
        } catch (RuntimeException e) {
            log.error("nodeId={} txId={} {} failed", participant.nodeId(), message.txId(), message.kind(), e);
            return TxnReply.failed(NodeError.INTERNAL, "the node failed to handle the message");
        }
    }

    private static String requireTxId(TxnMessage message) {
        if (message.txId() == null || message.txId().isBlank() || message.txId().length() > MAX_TX_ID_LENGTH) {
            throw new InvalidPrepareException("the transaction id must be 1 to " + MAX_TX_ID_LENGTH + " characters");
        }
        return message.txId();
    }

    private static TxnReply join(Future<TxnReply> reply) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            return TxnReply.failed(NodeError.INTERNAL, "the node failed to handle the message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TxnReply.failed(NodeError.SHUTTING_DOWN, "the node is shutting down");
        }
    }
}
