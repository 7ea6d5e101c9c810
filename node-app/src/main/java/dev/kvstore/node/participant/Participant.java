package dev.kvstore.node.participant;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Outcome;
import dev.kvstore.node.replica.Prepared;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.WalException;
import dev.kvstore.node.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-phase-commit participant of one node: prepares, commits and aborts writes to its replica's
 * tables, each step forced to the write-ahead log before it is answered.
 *
 * <p>Locking: a prepared transaction holds its key until decided, so a second prepare on the key is
 * refused (voted no) rather than queued; the coordinator serializes writes per key, so a held key
 * means an earlier transaction is still in doubt. Every step holds the replica's shared lock while it
 * logs, so steps share fsyncs while a snapshot briefly excludes them all.
 */
public final class Participant {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);
    private static final int STRIPES = 64;

    private final Replica replica;
    private final WriteAheadLog wal;
    private final ParticipantOptions options;
    private final Clock clock;
    private final PrepareValidator validator;
    private final String nodeId;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    // Live decisions only: what recovery replays is not counted again.
    private final LongAdder votesYes = new LongAdder();
    private final LongAdder votesNo = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    /** Each write this node refused is aborted here too: a few lines a minute, not one per write. */
    private final LogThrottle earlyAborts;

    public Participant(Replica replica, WriteAheadLog wal, ParticipantOptions options, Clock clock) {
        this.replica = replica;
        this.wal = wal;
        this.options = options;
        this.clock = clock;
        this.validator = new PrepareValidator(options.maxValueBytes());
        this.nodeId = replica.nodeId();
        this.earlyAborts = new LogThrottle(clock, 5, Duration.ofMinutes(1));
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    // ---- phase one ------------------------------------------------------------------------

    /**
     * Validates the write, locks its key, forces a PREPARE record and votes yes; votes no when the
     * key is held by another transaction, the expected version does not match, or the transaction
     * was already aborted here. Repeating a prepare repeats its vote.
     */
    public Vote prepare(String txId, PrepareRequest request) {
        Vote vote = vote(txId, request);
        (vote.yes() ? votesYes : votesNo).increment();
        return vote;
    }

    private Vote vote(String txId, PrepareRequest request) {
        validator.validate(txId, request);
        Tables tables = replica.tables();
        Prepared entry;
        replica.shared().lock();
        try {
            ReentrantLock stripe = stripe(txId);
            stripe.lock();
            try {
                Outcome done = replica.outcome(txId);
                if (done != null) {
                    long current = tables.version(request.table(), request.key());
                    return done.state() == TxnState.COMMITTED
                            ? Vote.yes(txId, current, tables.floor(request.table(), request.key()))
                            : Vote.no(txId, Vote.ABORTED, current);
                }
                entry = replica.pending(txId);
                if (entry == null) {
                    if (request.op() == WriteOp.PUT && !options.roomForNewData().getAsBoolean()) {
                        return Vote.no(txId, Vote.NO_SPACE, tables.version(request.table(), request.key()));
                    }
                    Optional<Vote> refused = lockKey(txId, request);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                    LogRecord.Prepare record = new LogRecord.Prepare(txId, request);
                    replica.apply(record);
                    entry = replica.pending(txId);
                    entry.prepareSeq(wal.append(LogRecord.encode(record)));
                }
            } finally {
                stripe.unlock();
            }
        } finally {
            replica.shared().unlock();
        }
        try {
            wal.awaitDurable(entry.prepareSeq());
        } catch (WalException e) {
            replica.forget(entry);
            replica.unlockKey(request.key(), txId);
            throw e;
        }
        log.debug("nodeId={} txId={} prepared {} {} in {}", nodeId, txId, request.op(), request.key(), request.table());
        return Vote.yes(txId, entry.versionAtPrepare(), entry.floorAtPrepare());
    }

    private Optional<Vote> lockKey(String txId, PrepareRequest request) {
        long current = replica.tables().version(request.table(), request.key());
        String holder = replica.lockKey(request.key(), txId);
        if (holder != null) {
            log.info("nodeId={} txId={} votes no: key {} is held by {}", nodeId, txId, request.key(),
                    Replica.INSTALLER.equals(holder) ? "a range install" : "txId=" + holder);
            return Optional.of(Vote.no(txId, Vote.LOCKED, current));
        }
        Long expected = request.expectedVersion();
        if (expected != null && expected != current) {
            replica.unlockKey(request.key(), txId);
            return Optional.of(Vote.no(txId, Vote.CONFLICT, current));
        }
        return Optional.empty();
    }

    // ---- phase two ------------------------------------------------------------------------

    /** Forces a COMMIT record, applies the write with {@code version} and frees the key. Idempotent. */
    public TxnStatus commit(String txId, long version) {
        if (version <= 0) {
            throw new InvalidPrepareException("a commit needs a positive version, got " + version);
        }
        return decide(txId, TxnState.COMMITTED, version);
    }

    /** Forces an ABORT record and frees the key. Idempotent; aborting an unknown transaction makes
     * any later prepare of it vote no. */
    public TxnStatus abort(String txId) {
        return decide(txId, TxnState.ABORTED, 0);
    }

    /** Logs and applies a decision; {@link InDoubtResolver} decides through here too, with the version it was told. */
    TxnStatus decide(String txId, TxnState decision, long version) {
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
        boolean rebuilt = false;
        entry.decision().lock();
        try {
            if (entry.outcome() != null) {
                return matching(txId, entry.outcome(), decision);
            }
            replica.shared().lock();
            try {
                // The replica may have been rebuilt from its log meanwhile (reopenLog): decide what it holds now.
                rebuilt = replica.pending(txId) != entry;
                if (!rebuilt) {
                    LogRecord record = decision == TxnState.COMMITTED
                            ? new LogRecord.Commit(txId, version) : new LogRecord.Abort(txId);
                    wal.awaitDurable(wal.append(LogRecord.encode(record)));
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
            return decide(txId, decision, version);
        }
        log.debug("nodeId={} txId={} {} {}", nodeId, txId, decision, entry.request().key());
        return new TxnStatus(txId, decision, version);
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
            ReentrantLock stripe = stripe(txId);
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

    // ---- what others ask ------------------------------------------------------------------

    public TxnStatus status(String txId) {
        Prepared entry = replica.pending(txId);
        if (entry != null && entry.outcome() == null) {
            return TxnStatus.of(txId, TxnState.PREPARED);
        }
        Outcome known = replica.outcome(txId);
        if (known != null) {
            return new TxnStatus(txId, known.state(), known.version());
        }
        return TxnStatus.of(txId, TxnState.UNKNOWN);
    }

    /**
     * A peer in doubt asking: answers what this participant knows, and for a transaction it never
     * prepared records an abort first, so its answer stays true if the prepare arrives late.
     */
    public TxnStatus inquire(String txId) {
        TxnStatus known = status(txId);
        if (known.state() != TxnState.UNKNOWN) {
            return known;
        }
        try {
            return abort(txId);
        } catch (TransactionConflictException raced) {
            return status(txId);
        }
    }

    /** The transactions prepared here and not decided yet, oldest first: what an operator may have to settle. */
    public List<InDoubtTransaction> inDoubtTransactions() {
        Tables tables = replica.tables();
        return replica.pendingWrites().stream().filter(entry -> entry.outcome() == null)
                .map(entry -> new InDoubtTransaction(entry.txId(), entry.request().key(),
                        entry.request().table(), entry.request().op(), entry.since(), entry.request().peers(),
                        tables.floor(entry.request().table(), entry.request().key())))
                .sorted((a, b) -> a.since().compareTo(b.since()))
                .toList();
    }

    public String nodeId() {
        return nodeId;
    }

    public int inDoubt() {
        return replica.inDoubt();
    }

    /** Votes and decisions since this process started (recovery's replay not included). */
    public ParticipantStats stats() {
        return new ParticipantStats(votesYes.sum(), votesNo.sum(), commits.sum(), aborts.sum());
    }

    /** Forgets outcomes older than the retention period. */
    public int pruneOutcomes() {
        Instant cutoff = clock.instant().minus(options.outcomeRetention());
        return replica.pruneOutcomes(cutoff);
    }

    private ReentrantLock stripe(String txId) {
        return stripes[Math.floorMod(txId.hashCode(), STRIPES)];
    }
}
