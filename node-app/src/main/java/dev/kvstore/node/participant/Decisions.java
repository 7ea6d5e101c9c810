package dev.kvstore.node.participant;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Outcome;
import dev.kvstore.node.replica.Prepared;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two of the participant: a transaction's decision written once, logged and applied (a COMMIT
 * logged without forcing, an ABORT forced; an abort of a transaction never prepared here a fence), and
 * the RESOLVING mark a replica in doubt forces before it asks its peer. {@link Participant} is the way in.
 *
 * <p>Locking: a decision holds its prepared entry's decision lock while it logs and applies, under the
 * replica's shared lock; a decision of a transaction not prepared here holds its {@link TxnStripes} lock,
 * which a prepare of it takes too.
 */
final class Decisions {

    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final Replica replica;
    private final WriteAheadLog wal;
    private final TxnStripes stripes;
    private final String nodeId;
    // Live decisions only: what recovery replays is not counted again.
    private final LongAdder commits = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    /** Each write this node refused is aborted here too: a few lines a minute, not one per write. */
    private final LogThrottle earlyAborts;

    Decisions(Replica replica, WriteAheadLog wal, TxnStripes stripes, Clock clock) {
        this.replica = replica;
        this.wal = wal;
        this.stripes = stripes;
        this.nodeId = replica.nodeId();
        this.earlyAborts = new LogThrottle(clock, 5, Duration.ofMinutes(1));
    }

    /**
     * Logs and applies a decision: a commit ({@code durable} false) or an abort from the coordinator, or one
     * {@link InDoubtResolver} learnt ({@code durable}, and free to abort while settling with its peer, when
     * the peer said so). {@code refuseWhileResolving}: refused ({@link ResolvingWithPeerException}) while
     * the replica settles the transaction with its peer.
     */
    TxnStatus decide(String txId, TxnState decision, long version, boolean durable, boolean refuseWhileResolving) {
        Prepared entry = replica.pending(txId);
        if (entry == null) {
            Optional<TxnStatus> settled = decideUnprepared(txId, decision);
            if (settled.isPresent()) {
                return settled.get();
            }
            entry = replica.pending(txId);
            if (entry == null) {
                return matching(txId, replica.outcome(txId), decision);
            }
        }
        long at = decision == TxnState.COMMITTED && entry.version() > 0 ? entry.version() : version;
        boolean rebuilt = false;
        entry.decision().lock();
        try {
            if (entry.outcome() != null) {
                return matching(txId, entry.outcome(), decision);
            }
            if (refuseWhileResolving && entry.resolving()) {
                throw new ResolvingWithPeerException(txId);
            }
            replica.shared().lock();
            try {
                // The replica may have been rebuilt from its log meanwhile (reopenLog): decide what it holds now.
                rebuilt = replica.pending(txId) != entry;
                if (!rebuilt) {
                    LogRecord record = decision == TxnState.COMMITTED
                            ? new LogRecord.Commit(txId, at) : new LogRecord.Abort(txId);
                    long seq = wal.append(LogRecord.encode(record));
                    if (durable) {
                        wal.awaitDurable(seq);
                    } else {
                        wal.syncSoon(seq);
                    }
                    replica.apply(record);
                    (decision == TxnState.COMMITTED ? commits : aborts).increment();
                }
            } finally {
                replica.shared().unlock();
            }
        } finally {
            entry.decision().unlock();
        }
        if (rebuilt) {
            return decide(txId, decision, version, durable, refuseWhileResolving);
        }
        log.debug("nodeId={} txId={} {} {}", nodeId, txId, decision, entry.request().key());
        return new TxnStatus(txId, decision, at);
    }

    /**
     * Forces a RESOLVING record for a transaction in doubt that the coordinator did not settle, before its
     * peer is asked: from then on the coordinator's abort is refused, so the peer may commit on this
     * replica's word. False when it was decided meanwhile.
     */
    boolean markResolving(Prepared entry) {
        entry.decision().lock();
        try {
            if (entry.outcome() != null) {
                return false;
            }
            if (entry.resolving()) {
                return true;
            }
            replica.shared().lock();
            try {
                if (replica.pending(entry.txId()) != entry) {
                    return false; // rebuilt from the log meanwhile: the next round looks again
                }
                LogRecord.Resolving record = new LogRecord.Resolving(entry.txId());
                wal.awaitDurable(wal.append(LogRecord.encode(record)));
                replica.apply(record);
                return true;
            } finally {
                replica.shared().unlock();
            }
        } finally {
            entry.decision().unlock();
        }
    }

    /**
     * A decision for a transaction not prepared here: known outcomes answer directly, an abort is
     * recorded (so a late prepare votes no), a commit is an error. Empty when the transaction turned
     * out to be prepared after all, for the caller to decide normally.
     */
    private Optional<TxnStatus> decideUnprepared(String txId, TxnState decision) {
        long seq;
        replica.shared().lock();
        try {
            ReentrantLock stripe = stripes.of(txId);
            stripe.lock();
            try {
                if (replica.pending(txId) != null) {
                    return Optional.empty();
                }
                Outcome known = replica.outcome(txId);
                if (known != null) {
                    return Optional.of(matching(txId, known, decision));
                }
                if (decision == TxnState.COMMITTED) {
                    throw new UnknownTransactionException(txId);
                }
                LogRecord.Abort record = new LogRecord.Abort(txId);
                replica.apply(record);
                seq = wal.append(LogRecord.encode(record));
                aborts.increment();
            } finally {
                stripe.unlock();
            }
        } finally {
            replica.shared().unlock();
        }
        wal.awaitDurable(seq);
        LogThrottle.Admission admission = earlyAborts.admit();
        if (admission.log()) {
            log.info("nodeId={} txId={} aborted before any prepare arrived{}", nodeId, txId, admission.heldBack());
        }
        return Optional.of(TxnStatus.of(txId, TxnState.ABORTED));
    }

    private static TxnStatus matching(String txId, Outcome known, TxnState decision) {
        if (known.state() != decision) {
            throw new TransactionConflictException(
                    "transaction " + txId + " is already " + known.state() + ", it cannot become " + decision);
        }
        return new TxnStatus(txId, known.state(), known.version());
    }

    long commits() {
        return commits.sum();
    }

    long aborts() {
        return aborts.sum();
    }
}
