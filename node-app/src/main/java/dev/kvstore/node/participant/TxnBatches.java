package dev.kvstore.node.participant;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a batch of two-phase-commit messages, all at once, so that their log records share fsyncs
 * (group commit) and the batch costs about one fsync, not one per message, and no thread per message.
 * A failing message fails alone, with its {@link NodeError}.
 */
public final class TxnBatches {

    private static final Logger log = LoggerFactory.getLogger(TxnBatches.class);

    private static final int MAX_TX_ID_LENGTH = 128;

    private final Participant participant;
    private final Executor executor;
    private final int maxMessages;
    /** A failed log refuses every message: a few lines say so, not one per message. */
    private final LogThrottle walRefusals = new LogThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1));

    /** @param executor runs the messages of a batch that may block for long: aborts, prepares of held keys (virtual threads) */
    public TxnBatches(Participant participant, Executor executor, int maxMessages) {
        this.participant = participant;
        this.executor = executor;
        this.maxMessages = maxMessages;
    }

    /**
     * One reply per message, in order; an oversized batch is refused whole. The batch is handled on the
     * calling thread in three steps: the COMMITs (which never wait, and may free keys the batch's prepares
     * need), the prepares' first halves (each appends its record), then their votes, the first of which
     * waits for the one fsync that carries them all. Only what may block for long (an ABORT, forced on its
     * own; a prepare whose key is held, which waits for its holder) runs on a thread of its own meanwhile.
     */
    public List<TxnReply> handle(List<TxnMessage> messages) {
        if (messages.size() > maxMessages) {
            throw new InvalidPrepareException("a batch holds at most " + maxMessages + " messages, this one has "
                    + messages.size());
        }
        if (messages.size() == 1) {
            return List.of(handle(messages.getFirst()));
        }
        TxnReply[] replies = new TxnReply[messages.size()];
        for (int i = 0; i < replies.length; i++) {
            TxnMessage message = messages.get(i);
            if (message != null && message.kind() == TxnMessage.Kind.COMMIT) {
                replies[i] = handle(message);
            }
        }
        PrepareStep.AwaitDurable[] staged = new PrepareStep.AwaitDurable[replies.length];
        @SuppressWarnings("unchecked")
        CompletableFuture<TxnReply>[] aside = new CompletableFuture[replies.length];
        for (int i = 0; i < replies.length; i++) {
            TxnMessage message = messages.get(i);
            if (replies[i] != null) {
                continue;
            }
            if (message == null || message.kind() != TxnMessage.Kind.PREPARE) {
                aside[i] = CompletableFuture.supplyAsync(() -> handle(message), executor);
                continue;
            }
            try {
                switch (participant.begin(message.txId(), message.prepare())) {
                    case PrepareStep.Answer answer -> replies[i] = TxnReply.voted(answer.vote());
                    case PrepareStep.AwaitDurable durable -> staged[i] = durable;
                    case PrepareStep.AwaitHolder holder ->
                            aside[i] = CompletableFuture.supplyAsync(() -> handle(message), executor);
                }
            } catch (RuntimeException e) {
                replies[i] = failed(message, e);
            }
        }
        for (int i = 0; i < replies.length; i++) {
            if (staged[i] != null) {
                TxnMessage message = messages.get(i);
                PrepareStep.AwaitDurable durable = staged[i];
                replies[i] = answer(message,
                        () -> TxnReply.voted(participant.finish(message.txId(), message.prepare(), durable)));
            } else if (aside[i] != null) {
                replies[i] = aside[i].join(); // handle() answers every failure itself
            }
        }
        return Arrays.asList(replies);
    }

    private TxnReply handle(TxnMessage message) {
        return answer(message, () -> {
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
        });
    }

    /** What {@code work} replies, or its failure as this message's error. */
    private TxnReply answer(TxnMessage message, Supplier<TxnReply> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return failed(message, e);
        }
    }

    /** The message's reply for the exception that refused it. */
    private TxnReply failed(TxnMessage message, RuntimeException e) {
        if (e instanceof NodeErrorException refused) {
            if (refused.error() == NodeError.STORAGE_UNAVAILABLE) {
                LogThrottle.Admission admission = walRefusals.admit();
                if (admission.log()) {
                    log.error("nodeId={} txId={} write-ahead log unavailable: {}{}", participant.nodeId(),
                            message.txId(), refused.getMessage(), admission.heldBack());
                }
            }
            return TxnReply.failed(refused.error(), refused.detail());
        }
        log.error("nodeId={} txId={} {} failed", participant.nodeId(), message == null ? null : message.txId(),
                message == null ? null : message.kind(), e);
        return TxnReply.failed(NodeError.INTERNAL, "the node failed to handle the message");
    }

    private static String requireTxId(TxnMessage message) {
        if (message.txId() == null || message.txId().isBlank() || message.txId().length() > MAX_TX_ID_LENGTH) {
            throw new InvalidPrepareException("the transaction id must be 1 to " + MAX_TX_ID_LENGTH + " characters");
        }
        return message.txId();
    }
}
