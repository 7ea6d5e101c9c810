package dev.kvstore.node.participant;

import dev.kvstore.model.Keys;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.storage.StoredValue;
import dev.kvstore.node.storage.Tables;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.RecoveryHandler;
import dev.kvstore.node.wal.RecoveryReport;
import dev.kvstore.node.wal.WalException;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-phase-commit participant of one node: prepares, commits and aborts writes to its tables,
 * each step forced to the write-ahead log before it is answered.
 *
 * <p>Locking: a prepared transaction holds its key until decided, so a second prepare on the key is
 * refused (voted no) rather than queued; the coordinator serializes writes per key, so a held key
 * means an earlier transaction is still in doubt. A state-wide read/write lock lets any number of
 * steps log concurrently (sharing fsyncs) while a snapshot briefly excludes them all, so the state it
 * captures matches the log segment it starts.
 */
public final class Participant implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int MAX_TX_ID_LENGTH = 128;
    private static final int MAX_PEERS = 16;
    private static final int MAX_TEXT_LENGTH = 2048;
    private static final int STRIPES = 64;

    private final String nodeId;
    private final Tables tables;
    private final ParticipantOptions options;
    private final Clock clock;
    private final DecisionTransport transport;
    private WriteAheadLog wal;
    private RecoveryReport recovery;

    private final ConcurrentHashMap<String, Prepared> prepared = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyLocks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final AtomicBoolean snapshotting = new AtomicBoolean();

    private Participant(String nodeId, ParticipantOptions options, Clock clock, DecisionTransport transport) {
        this.nodeId = nodeId;
        this.tables = new Tables();
        this.options = options;
        this.clock = clock;
        this.transport = transport;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Rebuilds the participant from the log in {@code dir}: committed writes back in the tables,
     * transactions prepared but undecided back in doubt, holding their keys until resolved.
     */
    public static Participant open(String nodeId, Path dir, WalOptions walOptions, Disk disk,
                                   ParticipantOptions options, Clock clock, DecisionTransport transport)
            throws IOException {
        Participant participant = new Participant(nodeId, options, clock, transport);
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, walOptions, disk, participant.new Replay());
        participant.wal = opened.log();
        participant.recovery = opened.report();
        if (!participant.prepared.isEmpty()) {
            log.warn("nodeId={} recovered {} transactions in doubt: {}", nodeId, participant.prepared.size(),
                    participant.prepared.keySet());
        }
        return participant;
    }

    // ---- phase one ------------------------------------------------------------------------

    /**
     * Validates the write, locks its key, forces a PREPARE record and votes yes; votes no when the
     * key is held by another transaction, the expected version does not match, or the transaction
     * was already aborted here. Repeating a prepare repeats its vote.
     */
    public Vote prepare(String txId, PrepareRequest request) {
        validate(txId, request);
        Prepared entry;
        stateLock.readLock().lock();
        try {
            ReentrantLock stripe = stripe(txId);
            stripe.lock();
            try {
                Outcome done = outcomes.get(txId);
                if (done != null) {
                    long current = tables.version(request.table(), request.key());
                    return done.state() == TxnState.COMMITTED
                            ? Vote.yes(txId, current) : Vote.no(txId, Vote.ABORTED, current);
                }
                entry = prepared.get(txId);
                if (entry == null) {
                    Optional<Vote> refused = lockKey(txId, request);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                    entry = new Prepared(txId, request, tables.version(request.table(), request.key()),
                            clock.instant());
                    prepared.put(txId, entry);
                    entry.prepareSeq = wal.append(LogRecord.encode(new LogRecord.Prepare(txId, request)));
                }
            } finally {
                stripe.unlock();
            }
        } finally {
            stateLock.readLock().unlock();
        }
        try {
            wal.awaitDurable(entry.prepareSeq);
        } catch (WalException e) {
            prepared.remove(txId, entry);
            keyLocks.remove(request.key(), txId);
            throw e;
        }
        log.debug("nodeId={} txId={} prepared {} {} in {}", nodeId, txId, request.op(), request.key(), request.table());
        return Vote.yes(txId, entry.versionAtPrepare);
    }

    private Optional<Vote> lockKey(String txId, PrepareRequest request) {
        long current = tables.version(request.table(), request.key());
        String holder = keyLocks.putIfAbsent(request.key(), txId);
        if (holder != null) {
            log.info("nodeId={} txId={} votes no: key {} is held by txId={}", nodeId, txId, request.key(), holder);
            return Optional.of(Vote.no(txId, Vote.LOCKED, current));
        }
        Long expected = request.expectedVersion();
        if (expected != null && expected != current) {
            keyLocks.remove(request.key(), txId);
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

    private TxnStatus decide(String txId, TxnState decision, long version) {
        Prepared entry = prepared.get(txId);
        if (entry == null) {
            Optional<TxnStatus> settled = decideUnprepared(txId, decision);
            if (settled.isPresent()) {
                return settled.get();
            }
            entry = prepared.get(txId);
            if (entry == null) {
                return matching(txId, outcomes.get(txId), decision);
            }
        }
        entry.decision.lock();
        try {
            if (entry.outcome != null) {
                return matching(txId, entry.outcome, decision);
            }
            stateLock.readLock().lock();
            try {
                LogRecord record = decision == TxnState.COMMITTED
                        ? new LogRecord.Commit(txId, version) : new LogRecord.Abort(txId);
                wal.awaitDurable(wal.append(LogRecord.encode(record)));
                Outcome outcome = new Outcome(decision, version, clock.instant());
                finish(entry, outcome);
            } finally {
                stateLock.readLock().unlock();
            }
        } finally {
            entry.decision.unlock();
        }
        log.debug("nodeId={} txId={} {} {}", nodeId, txId, decision, entry.request.key());
        return new TxnStatus(txId, decision, version);
    }

    /**
     * A decision for a transaction not prepared here: known outcomes answer directly, an abort is
     * recorded (so a late prepare votes no), a commit is an error. Empty when the transaction turned
     * out to be prepared after all, for the caller to decide normally.
     */
    private Optional<TxnStatus> decideUnprepared(String txId, TxnState decision) {
        long seq;
        stateLock.readLock().lock();
        try {
            ReentrantLock stripe = stripe(txId);
            stripe.lock();
            try {
                if (prepared.containsKey(txId)) {
                    return Optional.empty();
                }
                Outcome known = outcomes.get(txId);
                if (known != null) {
                    return Optional.of(matching(txId, known, decision));
                }
                if (decision == TxnState.COMMITTED) {
                    throw new UnknownTransactionException(txId);
                }
                outcomes.put(txId, new Outcome(TxnState.ABORTED, 0, clock.instant()));
                seq = wal.append(LogRecord.encode(new LogRecord.Abort(txId)));
            } finally {
                stripe.unlock();
            }
        } finally {
            stateLock.readLock().unlock();
        }
        wal.awaitDurable(seq);
        log.info("nodeId={} txId={} aborted before any prepare arrived", nodeId, txId);
        return Optional.of(TxnStatus.of(txId, TxnState.ABORTED));
    }

    private void finish(Prepared entry, Outcome outcome) {
        if (outcome.state() == TxnState.COMMITTED) {
            apply(entry.request, outcome.version());
        }
        entry.outcome = outcome;
        outcomes.put(entry.txId, outcome);
        prepared.remove(entry.txId, entry);
        keyLocks.remove(entry.request.key(), entry.txId);
    }

    private void apply(PrepareRequest request, long version) {
        if (request.op() == WriteOp.PUT) {
            String contentType = request.contentType() == null ? DEFAULT_CONTENT_TYPE : request.contentType();
            tables.put(request.table(), request.key(), new StoredValue(request.value(), contentType, version));
        } else {
            tables.delete(request.table(), request.key());
        }
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
        Prepared entry = prepared.get(txId);
        if (entry != null && entry.outcome == null) {
            return TxnStatus.of(txId, TxnState.PREPARED);
        }
        Outcome known = outcomes.get(txId);
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

    public Tables tables() {
        return tables;
    }

    public int inDoubt() {
        return prepared.size();
    }

    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public WriteAheadLog log() {
        return wal;
    }

    // ---- timers ---------------------------------------------------------------------------

    /**
     * Resolves every transaction prepared longer than the decision timeout: the coordinator's
     * decision if it has one; otherwise commit if any peer committed, abort if a peer aborted or
     * never prepared, or if the coordinator has forgotten it and no reachable peer committed.
     * When that cannot be known yet (coordinator unreachable, peers in doubt or unreachable), the
     * key stays held and the next call asks again. Returns how many were resolved.
     */
    public int resolveInDoubt() {
        Instant deadline = clock.instant().minus(options.decisionTimeout());
        int resolved = 0;
        for (Prepared entry : List.copyOf(prepared.values())) {
            if (entry.outcome == null && !entry.since.isAfter(deadline) && resolve(entry)) {
                resolved++;
            }
        }
        return resolved;
    }

    private boolean resolve(Prepared entry) {
        String txId = entry.txId;
        Optional<TxnStatus> coordinator = transport.askCoordinator(txId);
        if (coordinator.isPresent()) {
            TxnStatus answer = coordinator.get();
            switch (answer.state()) {
                case COMMITTED -> {
                    return settle(entry, TxnState.COMMITTED, answer.version(), "the coordinator");
                }
                case ABORTED -> {
                    return settle(entry, TxnState.ABORTED, 0, "the coordinator");
                }
                case PREPARED -> {
                    return false;
                }
                case UNKNOWN -> {
                    // The coordinator no longer drives it; only a peer's commit can still bind us.
                }
            }
        }
        boolean everyPeerAnswered = true;
        for (String peer : entry.request.peers()) {
            Optional<TxnStatus> answer = transport.inquirePeer(peer, txId);
            if (answer.isEmpty()) {
                everyPeerAnswered = false;
                continue;
            }
            switch (answer.get().state()) {
                case COMMITTED -> {
                    return settle(entry, TxnState.COMMITTED, answer.get().version(), "peer " + peer);
                }
                case ABORTED, UNKNOWN -> {
                    return settle(entry, TxnState.ABORTED, 0, "peer " + peer);
                }
                case PREPARED -> {
                    // In doubt too; keep asking the others.
                }
            }
        }
        if (coordinator.isPresent() && everyPeerAnswered) {
            return settle(entry, TxnState.ABORTED, 0, "the coordinator (forgotten) and every peer (in doubt)");
        }
        log.info("nodeId={} txId={} still in doubt: coordinator {}, peers {}", nodeId, txId,
                coordinator.isPresent() ? "has forgotten it" : "unreachable",
                everyPeerAnswered ? "in doubt" : "not all reachable");
        return false;
    }

    private boolean settle(Prepared entry, TxnState decision, long version, String source) {
        try {
            decide(entry.txId, decision, version);
            log.info("nodeId={} txId={} resolved after timeout: {} as told by {}", nodeId, entry.txId, decision, source);
            return true;
        } catch (TransactionConflictException raced) {
            // Decided by a commit or abort that arrived meanwhile.
            return true;
        }
    }

    /** Forgets outcomes older than the retention period. */
    public int pruneOutcomes() {
        Instant cutoff = clock.instant().minus(options.outcomeRetention());
        int before = outcomes.size();
        outcomes.values().removeIf(outcome -> outcome.decidedAt().isBefore(cutoff));
        return before - outcomes.size();
    }

    /** Takes a snapshot when enough has been logged since the last one. */
    public boolean snapshotIfDue() throws IOException {
        if (!wal.snapshotDue()) {
            return false;
        }
        snapshot();
        return true;
    }

    /**
     * Captures the state at a segment boundary (excluding every other step for that moment only),
     * then writes it while work goes on; older log segments become unnecessary.
     */
    public void snapshot() throws IOException {
        if (!snapshotting.compareAndSet(false, true)) {
            return;
        }
        try {
            long generation;
            List<LogRecord> state = new ArrayList<>(tables.size(Table.OWN)
                    + tables.size(Table.PREV) + prepared.size() + outcomes.size());
            stateLock.writeLock().lock();
            try {
                generation = wal.rollSegment();
                for (Table table : Table.values()) {
                    tables.forEach(table, (key, stored) -> state.add(
                            new LogRecord.Entry(table, key, stored.value(), stored.contentType(), stored.version())));
                }
                prepared.values().forEach(p -> state.add(new LogRecord.Prepare(p.txId, p.request)));
                outcomes.forEach((txId, o) -> state.add(new LogRecord.Decided(txId, o.state(), o.version(), o.decidedAt())));
            } finally {
                stateLock.writeLock().unlock();
            }
            wal.writeSnapshot(generation, state.stream().map(LogRecord::encode).iterator());
        } finally {
            snapshotting.set(false);
        }
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }

    // ---- internals ------------------------------------------------------------------------

    private void validate(String txId, PrepareRequest request) {
        if (txId == null || txId.isBlank() || txId.length() > MAX_TX_ID_LENGTH) {
            throw new InvalidPrepareException("the transaction id must be 1 to " + MAX_TX_ID_LENGTH + " characters");
        }
        if (request == null || request.table() == null || request.op() == null) {
            throw new InvalidPrepareException("a prepare needs key, table (OWN or PREV) and op (PUT or DELETE)");
        }
        String keyProblem = Keys.problem(request.key());
        if (keyProblem != null) {
            throw new InvalidPrepareException(keyProblem);
        }
        if (request.op() == WriteOp.PUT) {
            if (request.value() == null) {
                throw new InvalidPrepareException("a PUT needs a value (base64 in JSON)");
            }
            if (request.value().length > options.maxValueBytes()) {
                throw new InvalidPrepareException("the value is " + request.value().length
                        + " bytes; the limit is " + options.maxValueBytes());
            }
        }
        if (request.contentType() != null && request.contentType().length() > MAX_TEXT_LENGTH) {
            throw new InvalidPrepareException("the content type is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        if (request.expectedVersion() != null && request.expectedVersion() < 0) {
            throw new InvalidPrepareException("expectedVersion must be 0 (absent) or a version, got "
                    + request.expectedVersion());
        }
        if (request.peers().size() > MAX_PEERS
                || request.peers().stream().anyMatch(p -> p == null || p.isBlank() || p.length() > MAX_TEXT_LENGTH)) {
            throw new InvalidPrepareException("peers must be at most " + MAX_PEERS + " non-blank base URLs");
        }
    }

    private ReentrantLock stripe(String txId) {
        return stripes[Math.floorMod(txId.hashCode(), STRIPES)];
    }

    private record Outcome(TxnState state, long version, Instant decidedAt) {
    }

    private static final class Prepared {
        final String txId;
        final PrepareRequest request;
        final long versionAtPrepare;
        final Instant since;
        final ReentrantLock decision = new ReentrantLock();
        volatile long prepareSeq;
        volatile Outcome outcome;

        Prepared(String txId, PrepareRequest request, long versionAtPrepare, Instant since) {
            this.txId = txId;
            this.request = request;
            this.versionAtPrepare = versionAtPrepare;
            this.since = since;
        }
    }

    /** Rebuilds state from the snapshot and the log; runs before the participant takes requests. */
    private final class Replay implements RecoveryHandler {

        @Override
        public void snapshotEntry(byte[] payload) {
            switch (LogRecord.decode(payload)) {
                case LogRecord.Entry e -> tables.put(e.table(), e.key(), new StoredValue(e.value(), e.contentType(), e.version()));
                case LogRecord.Prepare p -> inDoubt(p);
                case LogRecord.Decided d -> outcomes.put(d.txId(), new Outcome(d.state(), d.version(), d.decidedAt()));
                case LogRecord other -> throw new IllegalStateException("a snapshot cannot hold " + other);
            }
        }

        @Override
        public void logRecord(byte[] payload) {
            switch (LogRecord.decode(payload)) {
                case LogRecord.Prepare p -> inDoubt(p);
                case LogRecord.Commit c -> decided(c.txId(), new Outcome(TxnState.COMMITTED, c.version(), clock.instant()));
                case LogRecord.Abort a -> decided(a.txId(), new Outcome(TxnState.ABORTED, 0, clock.instant()));
                case LogRecord other -> throw new IllegalStateException("the log cannot hold " + other);
            }
        }

        private void inDoubt(LogRecord.Prepare p) {
            PrepareRequest request = p.request();
            Prepared entry = new Prepared(p.txId(), request, tables.version(request.table(), request.key()),
                    clock.instant());
            prepared.put(p.txId(), entry);
            keyLocks.put(request.key(), p.txId());
        }

        private void decided(String txId, Outcome outcome) {
            Prepared entry = prepared.get(txId);
            if (entry != null) {
                finish(entry, outcome);
            } else {
                outcomes.put(txId, outcome);
            }
        }
    }
}
