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
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.WalException;
import dev.kvstore.node.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-phase-commit participant of one node: prepares, commits and aborts writes to its replica's
 * tables, each step forced to the write-ahead log before it is answered. Phase one (the votes) is here,
 * phase two (the decisions) in {@link Decisions}, and what the coordinator and the peers ask.
 *
 * <p>Locking: a prepared transaction holds its key until decided, so a second prepare on the key is
 * refused (voted no) rather than queued; the coordinator serializes writes per key, so a held key
 * means an earlier transaction is still in doubt. Every step holds the replica's shared lock while it
 * logs, so steps share fsyncs while a snapshot briefly excludes them all.
 */
public final class Participant {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);

    private final Replica replica;
    private final WriteAheadLog wal;
    private final ParticipantOptions options;
    private final Clock clock;
    private final PrepareValidator validator;
    private final String nodeId;
    private final TxnStripes stripes = new TxnStripes();
    private final Decisions decisions;
    // Live votes only: what recovery replays is not counted again.
    private final LongAdder votesYes = new LongAdder();
    private final LongAdder votesNo = new LongAdder();
    /** Under contention every prepare of a busy key votes no: a few lines a minute, not one per vote. */
    private final LogThrottle lockedVotes;
    /** Peers asking about transactions forgotten here: each stays in doubt and asks again every round. */
    private final LogThrottle forgottenAsked;

    public Participant(Replica replica, WriteAheadLog wal, ParticipantOptions options, Clock clock) {
        this.replica = replica;
        this.wal = wal;
        this.options = options;
        this.clock = clock;
        this.validator = new PrepareValidator(options.maxValueBytes());
        this.nodeId = replica.nodeId();
        this.decisions = new Decisions(replica, wal, stripes, clock);
        this.lockedVotes = new LogThrottle(clock, 5, Duration.ofMinutes(1));
        this.forgottenAsked = new LogThrottle(clock, 5, Duration.ofMinutes(1));
    }

    // ---- phase one ------------------------------------------------------------------------

    /**
     * Validates the write, locks its key, forces a PREPARE record and votes yes; votes no when the key
     * is held by another transaction (after waiting {@link ParticipantOptions#heldKeyWait} for it to be
     * decided), the condition does not hold, the write's version is not above what the key has seen,
     * there is no room for a new value, or the transaction was already aborted here. A no vote is an
     * ABORT forced to the log first, so the vote never turns yes; repeating a prepare repeats its vote.
     */
    public Vote prepare(String txId, PrepareRequest request) {
        validator.validate(txId, request);
        long waitUntil = System.nanoTime() + options.heldKeyWait().toNanos();
        while (true) {
            long patience = waitUntil - System.nanoTime();
            switch (stage(txId, request, patience > 0)) {
                case PrepareStep.Answer answer -> {
                    return counted(answer.vote());
                }
                case PrepareStep.AwaitHolder wait -> wait.holder().awaitRelease(Duration.ofNanos(patience));
                case PrepareStep.AwaitDurable durable -> {
                    return finish(txId, request, durable);
                }
            }
        }
    }

    /**
     * The first half of a prepare for a batch, which never blocks: it validates and locks the key and
     * appends the record, so that the batch's records share one fsync. An {@link PrepareStep.Answer} is
     * the vote; an {@link PrepareStep.AwaitDurable} is voted by {@link #finish}; an
     * {@link PrepareStep.AwaitHolder} (the key is held) is left for {@link #prepare}, which waits for it.
     */
    public PrepareStep begin(String txId, PrepareRequest request) {
        validator.validate(txId, request);
        PrepareStep step = stage(txId, request, true);
        if (step instanceof PrepareStep.Answer answer) {
            counted(answer.vote());
        }
        return step;
    }

    /** The second half: the vote once its record is durable; a record the log failed to keep unlocks the key. */
    public Vote finish(String txId, PrepareRequest request, PrepareStep.AwaitDurable durable) {
        try {
            wal.awaitDurable(durable.seq());
        } catch (WalException e) {
            if (durable.entry() != null) {
                replica.forget(durable.entry());
                replica.unlockKey(request.key(), txId);
            }
            throw e;
        }
        if (durable.vote().yes()) {
            log.debug("nodeId={} txId={} prepared {} {} in {} at version {}", nodeId, txId, request.op(),
                    request.key(), request.table(), request.version());
        }
        return counted(durable.vote());
    }

    private Vote counted(Vote vote) {
        (vote.yes() ? votesYes : votesNo).increment();
        return vote;
    }

    private PrepareStep stage(String txId, PrepareRequest request, boolean mayWait) {
        Tables tables = replica.tables();
        replica.shared().lock();
        try {
            ReentrantLock stripe = stripes.of(txId);
            stripe.lock();
            try {
                StoredValue stored = tables.value(request.table(), request.key());
                long current = stored == null ? 0 : stored.version();
                long floor = tables.floor(request.table(), request.key(), stored);
                Outcome done = replica.outcome(txId);
                if (done != null) {
                    return new PrepareStep.Answer(done.state() == TxnState.COMMITTED
                            ? Vote.yes(txId, current, floor)
                            : Vote.no(txId, Vote.ABORTED, current));
                }
                Prepared entry = replica.pending(txId);
                if (entry != null) {
                    return new PrepareStep.AwaitDurable(entry.prepareSeq(),
                            Vote.yes(txId, entry.versionAtPrepare(), entry.floorAtPrepare()), null);
                }
                long seen = Math.max(current, floor);
                if (request.op() == WriteOp.PUT && !options.roomForNewData().getAsBoolean()) {
                    return refuse(txId, Vote.no(txId, Vote.NO_SPACE, current));
                }
                if (request.version() > 0 && request.version() <= seen) {
                    return refuse(txId, Vote.no(txId, Vote.STALE_VERSION, current, seen));
                }
                String holder = replica.lockKey(request.key(), txId);
                if (holder != null) {
                    Prepared holding = Replica.INSTALLER.equals(holder) ? null : replica.pending(holder);
                    if (mayWait && holding != null) {
                        return new PrepareStep.AwaitHolder(holding);
                    }
                    LogThrottle.Admission admission = lockedVotes.admit();
                    if (admission.log()) {
                        log.info("nodeId={} txId={} votes no: key {} is held by {}{}", nodeId, txId, request.key(),
                                Replica.INSTALLER.equals(holder) ? "a range install" : "txId=" + holder,
                                admission.heldBack());
                    }
                    return refuse(txId, Vote.no(txId, Vote.LOCKED, current));
                }
                Long expected = request.expectedVersion();
                if ((expected != null && expected != current) || (request.mustExist() && current == 0)) {
                    replica.unlockKey(request.key(), txId);
                    return refuse(txId, Vote.no(txId, Vote.CONFLICT, current));
                }
                LogRecord.Prepare record = new LogRecord.Prepare(txId, request);
                replica.apply(record);
                entry = replica.pending(txId);
                entry.prepareSeq(wal.append(LogRecord.encode(record)));
                return new PrepareStep.AwaitDurable(entry.prepareSeq(),
                        Vote.yes(txId, entry.versionAtPrepare(), entry.floorAtPrepare()), entry);
            } finally {
                stripe.unlock();
            }
        } finally {
            replica.shared().unlock();
        }
    }

    /** Records the transaction aborted (a fence: a late or repeated prepare votes no) and votes no once it is durable. */
    private PrepareStep refuse(String txId, Vote no) {
        LogRecord.Abort record = new LogRecord.Abort(txId);
        replica.apply(record);
        return new PrepareStep.AwaitDurable(wal.append(LogRecord.encode(record)), no, null);
    }

    // ---- phase two ------------------------------------------------------------------------

    /**
     * Logs a COMMIT record, applies the write and frees the key, without waiting for the record to be
     * durable: the transaction committed when both replicas' PREPARE records were (see the package
     * documentation), so a COMMIT lost in a crash only leaves it in doubt, to be settled as committed
     * again. A write prepared with its version commits at that version; {@code version} only for older
     * prepares. Idempotent.
     */
    public TxnStatus commit(String txId, long version) {
        if (version <= 0) {
            throw new InvalidPrepareException("a commit needs a positive version, got " + version);
        }
        return decide(txId, TxnState.COMMITTED, version, false, false);
    }

    /**
     * The coordinator's abort: forces an ABORT record and frees the key. Idempotent; aborting an unknown
     * transaction makes any later prepare of it vote no. Refused while the replica settles the transaction
     * with its peer ({@link ResolvingWithPeerException}).
     */
    public TxnStatus abort(String txId) {
        return decide(txId, TxnState.ABORTED, 0, true, true);
    }

    /** Logs and applies a decision ({@link Decisions#decide}); {@link InDoubtResolver} decides through here too. */
    TxnStatus decide(String txId, TxnState decision, long version, boolean durable, boolean refuseWhileResolving) {
        return decisions.decide(txId, decision, version, durable, refuseWhileResolving);
    }

    /** Forces a RESOLVING mark before the peer is asked ({@link Decisions#markResolving}). */
    boolean markResolving(Prepared entry) {
        return decisions.markResolving(entry);
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
     * A peer in doubt asking about the write it prepared at {@code askerVersion} (0: logged without its
     * version); every answer but UNKNOWN is final. A transaction not known here is recorded aborted first
     * (a fence: a late prepare votes no) when it cannot have been committed here and forgotten
     * ({@link Replica#mayHaveForgotten}); otherwise the answer is UNKNOWN, and the asker stays in doubt. One
     * prepared here and undecided is committed (forced) when the asker is settling it ({@code
     * askerResolving}: it prepared too, and forced a mark that makes it refuse the coordinator's abort),
     * since then neither replica can abort it any more; otherwise, and for a prepare logged without its
     * version, the answer is PREPARED.
     */
    public TxnStatus inquire(String txId, boolean askerResolving, long askerVersion) {
        TxnStatus known = status(txId);
        try {
            if (known.state() == TxnState.UNKNOWN) {
                if (replica.mayHaveForgotten(askerVersion)) {
                    LogThrottle.Admission admission = forgottenAsked.admit();
                    if (admission.log()) {
                        log.warn("nodeId={} txId={} a peer in doubt asks about a transaction at version {} this node "
                                + "may have decided and forgotten (it forgot commits up to version {}): answered "
                                + "UNKNOWN, the peer stays in doubt{}", nodeId, txId, askerVersion,
                                replica.forgottenUpTo(), admission.heldBack());
                    }
                    return known;
                }
                return abort(txId);
            }
            Prepared entry = replica.pending(txId);
            if (known.state() == TxnState.PREPARED && askerResolving && entry != null && entry.version() > 0) {
                TxnStatus committed = decide(txId, TxnState.COMMITTED, entry.version(), true, false);
                log.info("nodeId={} txId={} committed on the word of a peer settling it: both replicas prepared it",
                        nodeId, txId);
                return committed;
            }
            return known;
        } catch (TransactionConflictException | ResolvingWithPeerException raced) {
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
        return new ParticipantStats(votesYes.sum(), votesNo.sum(), decisions.commits(), decisions.aborts());
    }

    /** Forgets outcomes older than the retention period. */
    public int pruneOutcomes() {
        Instant cutoff = clock.instant().minus(options.outcomeRetention());
        return replica.pruneOutcomes(cutoff);
    }
}
