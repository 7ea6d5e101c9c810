package dev.kvstore.node.participant;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.Keys;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.migration.RangeStreamException;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.RangeSelector;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.replica.TxIds;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.RecoveryHandler;
import dev.kvstore.node.wal.RecoveryReport;
import dev.kvstore.node.wal.WalException;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
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
 *
 * <p>Data migration (ranges of the ring moving between nodes when membership changes) goes through the
 * same log: {@link #exportRange} streams a table's entries in some ranges, {@link #install} logs and
 * applies each received entry that is newer than what the table holds, {@link #dropRange} and
 * {@link #moveRange} log one record each and replay it against the tables as they are at that point of
 * the log. Every one of them is idempotent. Keys held by a transaction in doubt: the transaction always
 * keeps its outcome; an install updates the committed entry (if newer) and the pending write still
 * applies at commit; a drop deletes the committed entry and leaves the pending write, which recreates
 * the key if it commits (a repeated drop removes it); a move takes the pending write along, so it
 * applies to the table the key moved to.
 */
public final class Participant implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int MAX_TX_ID_LENGTH = 128;
    private static final int MAX_PEERS = 16;
    private static final int MAX_TEXT_LENGTH = 2048;
    private static final int STRIPES = 64;
    /** A transaction that stays in doubt is reported when first found so, then at most this often. */
    private static final Duration STILL_IN_DOUBT_EVERY = Duration.ofMinutes(1);
    /** Entries per install batch: appended together, made durable by one (group-commit) fsync. */
    static final int INSTALL_BATCH_ENTRIES = 1000;
    /** Also end an install batch at this many payload bytes, so large values do not pile up in memory. */
    static final long INSTALL_BATCH_BYTES = 4L * 1024 * 1024;
    /** Holds a key in {@code keyLocks} while an install writes it; longer than any transaction id may be. */
    private static final String INSTALLER = "(range install)" + " ".repeat(MAX_TX_ID_LENGTH);

    private final String nodeId;
    private final Tables tables;
    private final ParticipantOptions options;
    private final Clock clock;
    private final DecisionTransport transport;
    private WriteAheadLog wal;
    private volatile RecoveryReport recovery;
    /** Odd while the state is being rebuilt from the disk (or a rebuild failed): nothing here is current. */
    private volatile long stateGeneration;
    private int maxRecordBytes;

    private final ConcurrentHashMap<String, Prepared> prepared = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyLocks = new ConcurrentHashMap<>();
    /** Decided transactions, kept {@code outcomeRetention}; keyed by {@link TxIds#key}. */
    private final ConcurrentHashMap<Object, Outcome> outcomes = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    // Live decisions only: what recovery replays is not counted again.
    private final LongAdder votesYes = new LongAdder();
    private final LongAdder votesNo = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    /** Each write this node refused is aborted here too: a few lines a minute, not one per write. */
    private final LogThrottle earlyAborts;

    private Participant(String nodeId, ParticipantOptions options, Clock clock, DecisionTransport transport) {
        this.nodeId = nodeId;
        this.tables = new Tables();
        this.options = options;
        this.clock = clock;
        this.transport = transport;
        this.earlyAborts = new LogThrottle(clock, 5, Duration.ofMinutes(1));
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
        participant.maxRecordBytes = walOptions.maxRecordBytes();
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
        Vote vote = vote(txId, request);
        (vote.yes() ? votesYes : votesNo).increment();
        return vote;
    }

    private Vote vote(String txId, PrepareRequest request) {
        validate(txId, request);
        Prepared entry;
        stateLock.readLock().lock();
        try {
            ReentrantLock stripe = stripe(txId);
            stripe.lock();
            try {
                Outcome done = outcome(txId);
                if (done != null) {
                    long current = tables.version(request.table(), request.key());
                    return done.state() == TxnState.COMMITTED
                            ? Vote.yes(txId, current, tables.floor(request.table(), request.key()))
                            : Vote.no(txId, Vote.ABORTED, current);
                }
                entry = prepared.get(txId);
                if (entry == null) {
                    if (request.op() == WriteOp.PUT && !options.roomForNewData().getAsBoolean()) {
                        return Vote.no(txId, Vote.NO_SPACE, tables.version(request.table(), request.key()));
                    }
                    Optional<Vote> refused = lockKey(txId, request);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                    entry = new Prepared(txId, request, tables.version(request.table(), request.key()),
                            tables.floor(request.table(), request.key()), clock.instant());
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
        return Vote.yes(txId, entry.versionAtPrepare, entry.floorAtPrepare);
    }

    private Optional<Vote> lockKey(String txId, PrepareRequest request) {
        long current = tables.version(request.table(), request.key());
        String holder = keyLocks.putIfAbsent(request.key(), txId);
        if (holder != null) {
            log.info("nodeId={} txId={} votes no: key {} is held by {}", nodeId, txId, request.key(),
                    INSTALLER.equals(holder) ? "a range install" : "txId=" + holder);
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
                return matching(txId, outcome(txId), decision);
            }
        }
        boolean rebuilt = false;
        entry.decision.lock();
        try {
            if (entry.outcome != null) {
                return matching(txId, entry.outcome, decision);
            }
            stateLock.readLock().lock();
            try {
                // The replica may have been rebuilt from its log meanwhile (reopenLog): decide what it holds now.
                rebuilt = prepared.get(txId) != entry;
                if (!rebuilt) {
                    LogRecord record = decision == TxnState.COMMITTED
                            ? new LogRecord.Commit(txId, version) : new LogRecord.Abort(txId);
                    wal.awaitDurable(wal.append(LogRecord.encode(record)));
                    Outcome outcome = new Outcome(decision, version, clock.instant());
                    finish(entry, outcome);
                    (decision == TxnState.COMMITTED ? commits : aborts).increment();
                }
            } finally {
                stateLock.readLock().unlock();
            }
        } finally {
            entry.decision.unlock();
        }
        if (rebuilt) {
            return decide(txId, decision, version);
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
                Outcome known = outcome(txId);
                if (known != null) {
                    return Optional.of(matching(txId, known, decision));
                }
                if (decision == TxnState.COMMITTED) {
                    throw new UnknownTransactionException(txId);
                }
                outcomes.put(TxIds.key(txId), new Outcome(TxnState.ABORTED, 0, clock.instant()));
                seq = wal.append(LogRecord.encode(new LogRecord.Abort(txId)));
                aborts.increment();
            } finally {
                stripe.unlock();
            }
        } finally {
            stateLock.readLock().unlock();
        }
        wal.awaitDurable(seq);
        LogThrottle.Admission admission = earlyAborts.admit();
        if (admission.log()) {
            log.info("nodeId={} txId={} aborted before any prepare arrived{}", nodeId, txId, admission.heldBack());
        }
        return Optional.of(TxnStatus.of(txId, TxnState.ABORTED));
    }

    private void finish(Prepared entry, Outcome outcome) {
        if (outcome.state() == TxnState.COMMITTED) {
            apply(entry, outcome.version());
        }
        entry.outcome = outcome;
        outcomes.put(TxIds.key(entry.txId), outcome);
        prepared.remove(entry.txId, entry);
        keyLocks.remove(entry.request.key(), entry.txId);
    }

    /**
     * Applies a committed write, live or in replay, unless a drop voided it or the key already holds
     * something at least as new (see {@link Tables}): then the transaction keeps its outcome and the
     * table keeps the newer state.
     */
    private void apply(Prepared entry, long version) {
        PrepareRequest request = entry.request;
        if (entry.voided) {
            log.info("nodeId={} txId={} committed, but {} left {} while it was in doubt: not applied", nodeId,
                    entry.txId, request.key(), request.table());
            return;
        }
        boolean applied = request.op() == WriteOp.PUT
                ? tables.putIfNewer(request.table(), request.key(), new StoredValue(request.value(),
                        request.contentType() == null ? DEFAULT_CONTENT_TYPE : request.contentType(), version))
                : tables.deleteIfNewer(request.table(), request.key(), version, clock.instant());
        if (!applied) {
            log.info("nodeId={} txId={} committed at version {}, but {} in {} holds version {}: not applied", nodeId,
                    entry.txId, version, request.key(), request.table(), tables.floor(request.table(), request.key()));
        }
    }

    private static TxnStatus matching(String txId, Outcome known, TxnState decision) {
        if (known.state() != decision) {
            throw new TransactionConflictException(
                    "transaction " + txId + " is already " + known.state() + ", it cannot become " + decision);
        }
        return new TxnStatus(txId, known.state(), known.version());
    }

    // ---- data migration -------------------------------------------------------------------

    /**
     * Writes every committed entry of {@code table} whose key's hash is in any of the ranges to
     * {@code out} as frames {@code int length | payload}, the payload an encoded {@link LogRecord.Entry},
     * then every deletion it remembers there as a {@link LogRecord.Tombstone}, then every write in doubt
     * to the table in the ranges as a {@link LogRecord.Prepare} naming this node among its peers, then a
     * frame of length 0 that marks the end; a reader that sees the stream end without it knows the stream
     * was cut off. The iteration is weakly consistent: writes applied meanwhile may or may not be in it
     * (the coordinator keeps writes away from a range while it is copied). Nothing is written when the
     * arguments are invalid.
     *
     * @return how many entries were written (tombstones and writes in doubt not counted)
     */
    public RangeResult exportRange(Table table, List<HashRange> ranges, OutputStream out) throws IOException {
        requireTable(table, "table");
        RangeSelector selector = RangeSelector.of(ranges);
        DataOutputStream frames = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
        long[] exported = {0};
        if (!selector.isEmpty()) {
            try {
                tables.forEach(table, (key, stored) -> {
                    if (selector.containsKey(key)) {
                        writeFrame(frames, new LogRecord.Entry(table, key, stored.value(), stored.contentType(),
                                stored.version()));
                        exported[0]++;
                    }
                });
                tables.forEachTombstone(table, (key, deleted) -> {
                    if (selector.containsKey(key)) {
                        writeFrame(frames, new LogRecord.Tombstone(table, key, deleted.version(),
                                Instant.ofEpochMilli(deleted.deletedAtMillis())));
                    }
                });
                // A copy taken now would miss these writes if they commit here later: they travel along and
                // stay in doubt at the target too, which asks this node (among their peers) for the outcome.
                for (Prepared entry : prepared.values()) {
                    PrepareRequest r = entry.request;
                    if (entry.outcome == null && !entry.voided && r.table() == table && selector.containsKey(r.key())) {
                        List<String> peers = new ArrayList<>(r.peers());
                        peers.add(nodeId);
                        writeFrame(frames, new LogRecord.Prepare(entry.txId, new PrepareRequest(r.key(), table, r.op(),
                                r.value(), r.contentType(), r.expectedVersion(), peers)));
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        frames.writeInt(0);
        frames.flush();
        return new RangeResult(exported[0]);
    }

    private static void writeFrame(DataOutputStream frames, LogRecord row) {
        byte[] payload = LogRecord.encode(row);
        try {
            frames.writeInt(payload.length);
            frames.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a stream written by {@link #exportRange} and installs each entry or deletion into {@code table}
     * only if its version is greater than the key's floor there (see {@link Tables}), so repeating a copy,
     * or a copy racing a newer write, never goes back in time. Entries are logged and applied in batches of
     * {@value #INSTALL_BATCH_ENTRIES} (one group-commit fsync each); everything installed is durable
     * when this returns or throws.
     *
     * <p>While a batch is logged and applied its keys are held like a prepare holds them (a prepare
     * meanwhile votes LOCKED), so the log and the tables see the same order. A key held by a
     * transaction in doubt is installed in a step that briefly excludes all other steps; the pending
     * write stays and still applies at commit.
     *
     * @return how many keys were installed (entries already present at an equal or newer version are not counted)
     * @throws RangeStreamException when the stream ends before its end marker, cannot be read on, or
     *                              holds something else than entries; what came before is installed
     */
    public RangeResult install(Table table, InputStream frames) {
        requireTable(table, "table");
        if (frames == null) {
            throw new InvalidRangeException("a stream of entries is required");
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(frames, 64 * 1024));
        Map<String, LogRecord.Row> batch = new LinkedHashMap<>();
        List<LogRecord.Prepare> inDoubt = new ArrayList<>();
        long batchBytes = 0;
        long received = 0;
        long installed = 0;
        while (true) {
            LogRecord frame;
            int length;
            try {
                length = readFrameLength(in, received);
                if (length == 0) {
                    break;
                }
                frame = readEntry(in, length, table, received);
            } catch (RangeStreamException problem) {
                installed += installBatch(table, batch);
                log.warn("nodeId={} install into {} stopped after {} entries ({} keys installed): {}", nodeId, table,
                        received, installed, problem.getMessage());
                throw new RangeStreamException(problem.kind(), problem.getMessage() + "; " + installed
                        + " keys installed before it stay installed", received, installed, problem.getCause());
            }
            received++;
            if (frame instanceof LogRecord.Prepare pending) {
                inDoubt.add(pending);
                continue;
            }
            LogRecord.Row entry = (LogRecord.Row) frame;
            LogRecord.Row earlier = batch.get(entry.key());
            if (earlier == null || earlier.version() < entry.version()) {
                batch.put(entry.key(), entry);
            }
            batchBytes += length;
            if (batch.size() >= INSTALL_BATCH_ENTRIES || batchBytes >= INSTALL_BATCH_BYTES) {
                installed += installBatch(table, batch);
                batchBytes = 0;
            }
        }
        installed += installBatch(table, batch);
        adoptInDoubt(table, inDoubt);
        return new RangeResult(installed);
    }

    /**
     * Takes on the writes in doubt a copy brought: each holds its key here as at the source, and applies
     * at commit (if newer, as always), which this node learns by asking the coordinator and the peers,
     * the source among them. One this node already knows undecided (voided when the range left this table)
     * holds the range's write again; one it already decided is left alone. Logged as PREPARE records, so
     * replay does the same at the same point.
     *
     * @throws RangeStreamException when a different transaction holds one of the keys here: the copy is
     *                              repeated once that one is resolved
     */
    private void adoptInDoubt(Table table, List<LogRecord.Prepare> inDoubt) {
        if (inDoubt.isEmpty()) {
            return;
        }
        List<String> adopted = new ArrayList<>();
        stateLock.writeLock().lock();
        try {
            long seq = 0;
            for (LogRecord.Prepare frame : inDoubt) {
                String txId = frame.txId();
                PrepareRequest r = frame.request();
                if (outcome(txId) != null) {
                    continue;
                }
                String holder = keyLocks.get(r.key());
                if (holder != null && !holder.equals(txId)) {
                    throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "key " + r.key()
                            + " is held here by txId=" + holder + " while the source holds it for txId=" + txId
                            + "; copy again once it is resolved", 0, 0, null);
                }
                Prepared known = prepared.get(txId);
                List<String> peers = new ArrayList<>(known == null ? List.of() : known.request.peers());
                r.peers().stream().filter(p -> !p.equals(nodeId) && !peers.contains(p)).forEach(peers::add);
                PrepareRequest request = new PrepareRequest(r.key(), table, r.op(), r.value(), r.contentType(),
                        r.expectedVersion(), peers);
                seq = wal.append(LogRecord.encode(new LogRecord.Prepare(txId, request)));
                if (known != null) {
                    known.request = request;
                    known.voided = false;
                } else {
                    prepared.put(txId, new Prepared(txId, request, tables.version(table, r.key()),
                            tables.floor(table, r.key()), clock.instant()));
                    keyLocks.put(r.key(), txId);
                }
                adopted.add("txId=" + txId + ":" + r.key());
            }
            if (seq > 0) {
                wal.awaitDurable(seq);
            }
        } finally {
            stateLock.writeLock().unlock();
        }
        if (!adopted.isEmpty()) {
            log.info("nodeId={} took on writes in doubt at the copy's source into {}: {}", nodeId, table,
                    abbreviate(adopted));
        }
    }

    private int readFrameLength(DataInputStream in, long received) {
        try {
            int length = in.readInt();
            if (length < 0 || length > maxRecordBytes) {
                throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                        + " declares " + length + " bytes; a frame holds 1 to " + maxRecordBytes
                        + " bytes (0 ends the stream)", received, 0, null);
            }
            return length;
        } catch (EOFException e) {
            throw new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream ended after "
                    + received + " entries without its end marker (cut off)", received, 0, e);
        } catch (IOException e) {
            throw unreadable(received, e);
        }
    }

    private LogRecord readEntry(DataInputStream in, int length, Table table, long received) {
        byte[] payload;
        try {
            payload = in.readNBytes(length);
        } catch (IOException e) {
            throw unreadable(received, e);
        }
        if (payload.length < length) {
            throw new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream was cut off in the middle"
                    + " of frame " + (received + 1) + " (" + payload.length + " of " + length + " bytes) after "
                    + received + " complete entries", received, 0, null);
        }
        LogRecord record;
        try {
            record = LogRecord.decode(payload);
        } catch (RuntimeException e) {
            throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                    + " does not decode as an entry", received, 0, e);
        }
        if (record instanceof LogRecord.Prepare pending) {
            try {
                validate(pending.txId(), pending.request());
            } catch (RuntimeException e) {
                throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                        + " is not a valid write in doubt: " + e.getMessage(), received, 0, null);
            }
            return pending;
        }
        if (!(record instanceof LogRecord.Row entry)) {
            throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                    + " holds a " + record.getClass().getSimpleName() + ", not an entry", received, 0, null);
        }
        String problem = Keys.problem(entry.key());
        if (problem == null && entry instanceof LogRecord.Entry value && value.value() == null) {
            problem = "it has no value";
        }
        if (problem == null && entry.version() <= 0) {
            problem = "its version " + entry.version() + " is not positive";
        }
        if (problem != null) {
            throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                    + " is not a valid entry: " + problem, received, 0, null);
        }
        return entry.in(table);
    }

    private static RangeStreamException unreadable(long received, IOException e) {
        return new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream could not be read on after "
                + received + " entries: " + e, received, 0, e);
    }

    /**
     * Logs, makes durable and applies the entries of the batch that are newer than the table's, then
     * clears it. Keys no transaction holds are held by the installer meanwhile, under the shared state
     * lock like any commit; keys held by a transaction in doubt go through {@link #installHeld}.
     */
    private long installBatch(Table table, Map<String, LogRecord.Row> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<LogRecord.Row> held = new ArrayList<>();
        List<LogRecord.Row> newer = new ArrayList<>();
        List<String> holding = new ArrayList<>(batch.size());
        stateLock.readLock().lock();
        try {
            try {
                long seq = 0;
                for (LogRecord.Row entry : batch.values()) {
                    if (keyLocks.putIfAbsent(entry.key(), INSTALLER) != null) {
                        held.add(entry);
                        continue;
                    }
                    holding.add(entry.key());
                    if (entry.version() > tables.floor(table, entry.key())) {
                        seq = wal.append(LogRecord.encode(entry));
                        newer.add(entry);
                    }
                }
                if (seq > 0) {
                    wal.awaitDurable(seq);
                }
                newer.forEach(this::installRow);
            } finally {
                holding.forEach(key -> keyLocks.remove(key, INSTALLER));
            }
        } finally {
            stateLock.readLock().unlock();
        }
        batch.clear();
        return newer.size() + (held.isEmpty() ? 0 : installHeld(table, held));
    }

    /**
     * Installs entries whose keys a transaction holds (in doubt, or another install) while every other
     * step is excluded, so nothing can decide them between the log record and the table.
     */
    private long installHeld(Table table, List<LogRecord.Row> entries) {
        List<LogRecord.Row> newer = new ArrayList<>();
        List<String> inDoubt = new ArrayList<>();
        stateLock.writeLock().lock();
        try {
            long seq = 0;
            for (LogRecord.Row entry : entries) {
                // No install holds a key now (they let go before the shared lock), so a holder is a transaction.
                String holder = keyLocks.get(entry.key());
                if (holder != null) {
                    inDoubt.add("txId=" + holder + ":" + entry.key());
                }
                if (entry.version() > tables.floor(table, entry.key())) {
                    seq = wal.append(LogRecord.encode(entry));
                    newer.add(entry);
                }
            }
            if (seq > 0) {
                wal.awaitDurable(seq);
            }
            newer.forEach(this::installRow);
        } finally {
            stateLock.writeLock().unlock();
        }
        if (!inDoubt.isEmpty()) {
            log.info("nodeId={} installed into {} under keys held by transactions in doubt (their pending writes"
                    + " still apply at commit if newer): {}", nodeId, table, abbreviate(inDoubt));
        }
        return newer.size();
    }

    /** Installs a copied row, live or in replay, if newer than the key's floor (the rule in {@link Tables}). */
    private boolean installRow(LogRecord.Row row) {
        return switch (row) {
            case LogRecord.Entry e -> tables.putIfNewer(e.table(), e.key(), new StoredValue(e.value(),
                    e.contentType() == null ? DEFAULT_CONTENT_TYPE : e.contentType(), e.version()));
            case LogRecord.Tombstone t -> tables.deleteIfNewer(t.table(), t.key(), t.version(), t.deletedAt());
        };
    }

    /**
     * Deletes every key of {@code table} whose hash is in the ranges, durably: one DropRange record,
     * replayed against the table as it is at that point of the log. Idempotent; when nothing is in the
     * ranges nothing is logged. The table no longer holds those ranges, so a transaction in doubt with a
     * write to them keeps its key and will reach its outcome as usual, but its write is void here: it
     * does not apply even if it commits (the current holders have it, or get it from their copies).
     * Deletions remembered there stay remembered.
     *
     * @return how many keys were deleted
     */
    public RangeResult dropRange(Table table, List<HashRange> ranges) {
        requireTable(table, "table");
        RangeSelector selector = RangeSelector.of(ranges);
        byte[] record = encodeRangeRecord(new LogRecord.DropRange(table, List.copyOf(ranges)));
        long dropped;
        List<String> pending;
        stateLock.writeLock().lock();
        try {
            pending = pendingWrites(table, selector);
            if (pending.isEmpty() && countIn(table, selector) == 0) {
                return new RangeResult(0);
            }
            wal.awaitDurable(wal.append(record));
            dropped = applyDrop(table, selector);
        } finally {
            stateLock.writeLock().unlock();
        }
        if (!pending.isEmpty()) {
            log.info("nodeId={} dropped a range of {} holding writes in doubt; they are void here: {}",
                    nodeId, table, abbreviate(pending));
        }
        return new RangeResult(dropped);
    }

    /**
     * Moves every entry of {@code from} whose key's hash is in the ranges to {@code to}; where {@code to}
     * already holds the key at an equal or newer version the entry is only removed from {@code from}.
     * Durable as one MoveRange record, replayed against the tables as they are at that point of the
     * log. Writes in doubt on {@code from} in the ranges move with their keys: they apply to {@code to}
     * at commit. Idempotent; when nothing is in the ranges nothing is logged.
     *
     * @return how many keys left {@code from}
     */
    public RangeResult moveRange(Table from, Table to, List<HashRange> ranges) {
        requireTable(from, "from");
        requireTable(to, "to");
        if (from == to) {
            throw new InvalidRangeException("from and to are both " + from + "; a move goes from OWN to PREV or back");
        }
        RangeSelector selector = RangeSelector.of(ranges);
        byte[] record = encodeRangeRecord(new LogRecord.MoveRange(from, to, List.copyOf(ranges)));
        long moved;
        List<String> pending;
        stateLock.writeLock().lock();
        try {
            pending = pendingWrites(from, selector);
            if (pending.isEmpty() && countIn(from, selector) == 0 && !remembersDeletionsIn(from, selector)) {
                return new RangeResult(0);
            }
            wal.awaitDurable(wal.append(record));
            moved = applyMove(from, to, selector);
        } finally {
            stateLock.writeLock().unlock();
        }
        if (!pending.isEmpty()) {
            log.info("nodeId={} moved writes in doubt from {} to {} with their keys: {}", nodeId, from, to, pending);
        }
        return new RangeResult(moved);
    }

    /** How many keys of {@code table} are in the ranges now. */
    public RangeResult count(Table table, List<HashRange> ranges) {
        requireTable(table, "table");
        return new RangeResult(countIn(table, RangeSelector.of(ranges)));
    }

    private long countIn(Table table, RangeSelector selector) {
        if (selector.isEmpty()) {
            return 0;
        }
        long[] count = {0};
        tables.forEach(table, (key, stored) -> {
            if (selector.containsKey(key)) {
                count[0]++;
            }
        });
        return count[0];
    }

    private boolean remembersDeletionsIn(Table table, RangeSelector selector) {
        boolean[] found = {false};
        if (!selector.isEmpty()) {
            tables.forEachTombstone(table, (key, deleted) -> found[0] |= selector.containsKey(key));
        }
        return found[0];
    }

    private List<String> keysIn(Table table, RangeSelector selector) {
        List<String> keys = new ArrayList<>();
        if (!selector.isEmpty()) {
            tables.forEach(table, (key, stored) -> {
                if (selector.containsKey(key)) {
                    keys.add(key);
                }
            });
        }
        return keys;
    }

    /** Transactions in doubt whose write (not void) goes to {@code table} in the ranges, as "txId:key". */
    private List<String> pendingWrites(Table table, RangeSelector selector) {
        List<String> pending = new ArrayList<>();
        for (Prepared entry : prepared.values()) {
            PrepareRequest request = entry.request;
            if (entry.outcome == null && !entry.voided && request.table() == table
                    && selector.containsKey(request.key())) {
                pending.add("txId=" + entry.txId + ":" + request.key());
            }
        }
        return pending;
    }

    /** Applies a drop, live or in replay; the caller excludes every other step. */
    private long applyDrop(Table table, RangeSelector selector) {
        List<String> keys = keysIn(table, selector);
        keys.forEach(key -> tables.evict(table, key));
        for (Prepared entry : prepared.values()) {
            PrepareRequest r = entry.request;
            if (entry.outcome == null && r.table() == table && selector.containsKey(r.key())) {
                entry.voided = true;
            }
        }
        return keys.size();
    }

    /** Applies a move, live or in replay; the caller excludes every other step. */
    private long applyMove(Table from, Table to, RangeSelector selector) {
        List<String> keys = keysIn(from, selector);
        for (String key : keys) {
            tables.get(from, key).ifPresent(stored -> tables.putIfNewer(to, key, stored));
            tables.evict(from, key);
        }
        tables.forEachTombstone(from, (key, deleted) -> {
            if (selector.containsKey(key)) {
                tables.deleteIfNewer(to, key, deleted.version(), Instant.ofEpochMilli(deleted.deletedAtMillis()));
                tables.forgetTombstone(from, key);
            }
        });
        for (Prepared entry : prepared.values()) {
            PrepareRequest r = entry.request;
            if (entry.outcome == null && r.table() == from && selector.containsKey(r.key())) {
                entry.request = new PrepareRequest(r.key(), to, r.op(), r.value(), r.contentType(),
                        r.expectedVersion(), r.peers());
            }
        }
        return keys.size();
    }

    private byte[] encodeRangeRecord(LogRecord record) {
        byte[] encoded = LogRecord.encode(record);
        if (encoded.length > maxRecordBytes) {
            throw new InvalidRangeException("the ranges take " + encoded.length + " bytes in the log; the limit is "
                    + maxRecordBytes + "; send fewer ranges per request");
        }
        return encoded;
    }

    private static void requireTable(Table table, String name) {
        if (table == null) {
            throw new InvalidRangeException(name + " is required: OWN or PREV");
        }
    }

    private static String abbreviate(List<String> keys) {
        return keys.size() <= 10 ? keys.toString() : keys.subList(0, 10) + " and " + (keys.size() - 10) + " more";
    }

    // ---- what others ask ------------------------------------------------------------------

    public TxnStatus status(String txId) {
        Prepared entry = prepared.get(txId);
        if (entry != null && entry.outcome == null) {
            return TxnStatus.of(txId, TxnState.PREPARED);
        }
        Outcome known = outcome(txId);
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
        return prepared.values().stream().filter(entry -> entry.outcome == null)
                .map(entry -> new InDoubtTransaction(entry.txId, entry.request.key(),
                        entry.request.table(), entry.request.op(), entry.since, entry.request.peers(),
                        tables.floor(entry.request.table(), entry.request.key())))
                .sorted((a, b) -> a.since().compareTo(b.since()))
                .toList();
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Whether a prepared transaction (or an install) holds the key: its committed value here may
     * already be older than the one another replica committed, so it must not be served as current.
     */
    public boolean isHeld(String key) {
        return (stateGeneration & 1) == 1 || keyLocks.containsKey(key);
    }

    /**
     * Changes (to odd and back to even) around every rebuild of the state from the disk: a read that saw
     * {@link #isHeld} false and the same generation before and after it read the tables read current state.
     */
    public long stateGeneration() {
        return stateGeneration;
    }

    /**
     * Rebuilds this replica from its disk after its log failed, as a restart would: the log is cut back to
     * what was durable and recovered into an empty state, so nothing that was not made durable is trusted
     * (a commit whose record was lost is in doubt again, and its decision comes again). Every step and
     * snapshot is held off meanwhile, and reads answer as held (read the other replica) until a rebuild
     * succeeds. Throws, the log still failed, when the disk still fails; the caller tries again later.
     */
    public RecoveryReport reopenLog() throws IOException {
        if (!snapshotting.compareAndSet(false, true)) {
            throw new IOException("a snapshot is being written; the log is reopened after it");
        }
        try {
            stateLock.writeLock().lock();
            try {
                if ((stateGeneration & 1) == 0) {
                    stateGeneration++;
                }
                tables.clear();
                prepared.clear();
                keyLocks.clear();
                outcomes.clear();
                RecoveryReport report = wal.reopen(new Replay());
                recovery = report;
                stateGeneration++;
                log.warn("nodeId={} rebuilt from its log after the log failed: {} own keys, {} prev keys, {} transactions "
                        + "in doubt", nodeId, tables.size(Table.OWN), tables.size(Table.PREV), prepared.size());
                return report;
            } finally {
                stateLock.writeLock().unlock();
            }
        } finally {
            snapshotting.set(false);
        }
    }

    public Tables tables() {
        return tables;
    }

    public int inDoubt() {
        return prepared.size();
    }

    /** Votes and decisions since this process started (recovery's replay not included). */
    public ParticipantStats stats() {
        return new ParticipantStats(votesYes.sum(), votesNo.sum(), commits.sum(), aborts.sum());
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
        Instant now = clock.instant();
        if (entry.reportedStillInDoubt == null || !now.isBefore(entry.reportedStillInDoubt.plus(STILL_IN_DOUBT_EVERY))) {
            entry.reportedStillInDoubt = now;
            log.info("nodeId={} txId={} still in doubt (key {}): coordinator {}, peers {}", nodeId, txId,
                    entry.request.key(), coordinator.isPresent() ? "has forgotten it" : "unreachable",
                    everyPeerAnswered ? "in doubt" : "not all reachable");
        }
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
        long cutoffNanos = Outcome.epochNanos(cutoff);
        outcomes.values().removeIf(outcome -> outcome.decidedAtNanos() < cutoffNanos);
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
            CapturedState state = new CapturedState(tables.size(Table.OWN) + tables.size(Table.PREV),
                    outcomes.size());
            stateLock.writeLock().lock();
            try {
                generation = wal.rollSegment();
                // Pruned only here, with every step excluded: the state captured is the state the log
                // goes on from, so replay sees the same tombstones the live steps saw.
                tables.pruneTombstones(clock.instant().minus(options.tombstoneRetention()));
                for (Table table : Table.values()) {
                    tables.forEach(table, state::addEntry);
                    state.endTable(table);
                    tables.forEachTombstone(table, (key, deleted) -> state.others.add(new LogRecord.Tombstone(
                            table, key, deleted.version(), Instant.ofEpochMilli(deleted.deletedAtMillis()))));
                }
                prepared.values().forEach(p -> {
                    state.others.add(new LogRecord.Prepare(p.txId, p.request));
                    if (p.voided) {
                        state.others.add(new LogRecord.Voided(p.txId));
                    }
                });
                outcomes.forEach(state::addOutcome);
            } finally {
                stateLock.writeLock().unlock();
            }
            wal.writeSnapshot(generation, state.records());
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
                throw new ValueTooLargeException(request.value().length, options.maxValueBytes());
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
            throw new InvalidPrepareException("peers must be at most " + MAX_PEERS + " non-blank node ids");
        }
    }

    private ReentrantLock stripe(String txId) {
        return stripes[Math.floorMod(txId.hashCode(), STRIPES)];
    }

    private Outcome outcome(String txId) {
        return outcomes.get(TxIds.key(txId));
    }

    /**
     * A decided transaction. The time is held as nanoseconds since the epoch (exact; saturated beyond
     * the years 1678 and 2262, which no clock reaches) rather than as an {@link Instant}, 24 bytes less
     * for each of the outcomes kept.
     */
    private record Outcome(TxnState state, long version, long decidedAtNanos) {

        Outcome(TxnState state, long version, Instant decidedAt) {
            this(state, version, epochNanos(decidedAt));
        }

        Instant decidedAt() {
            return Instant.ofEpochSecond(0, decidedAtNanos);
        }

        static long epochNanos(Instant instant) {
            long seconds = instant.getEpochSecond();
            if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
                return Long.MAX_VALUE;
            }
            if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
                return Long.MIN_VALUE;
            }
            return seconds * 1_000_000_000L + instant.getNano();
        }
    }

    /**
     * What a snapshot captures while every other step is excluded: references to the rows and outcomes
     * (immutable, so they stay as captured), 8 bytes each. Each becomes a log record only as it is
     * written, so a snapshot of a million keys never holds a million records at once.
     */
    private static final class CapturedState {
        private static final Table[] TABLES = Table.values();

        final List<String> keys;
        final List<StoredValue> rows;
        /** {@code tableEnds[t]}: how many rows tables {@code 0..t} hold together. */
        final int[] tableEnds = new int[TABLES.length];
        /** Tombstones, then prepares with their voided markers: few, so held as records. */
        final List<LogRecord> others = new ArrayList<>();
        final List<Object> txIds;
        final List<Outcome> outcomes;

        CapturedState(int rows, int outcomes) {
            this.keys = new ArrayList<>(rows);
            this.rows = new ArrayList<>(rows);
            this.txIds = new ArrayList<>(outcomes);
            this.outcomes = new ArrayList<>(outcomes);
        }

        void addEntry(String key, StoredValue row) {
            keys.add(key);
            rows.add(row);
        }

        void endTable(Table table) {
            tableEnds[table.ordinal()] = keys.size();
        }

        void addOutcome(Object txId, Outcome outcome) {
            txIds.add(txId);
            outcomes.add(outcome);
        }

        /** The encoded snapshot entries: every row, table by table, then tombstones and prepares, then the outcomes. */
        Iterator<byte[]> records() {
            return new Iterator<>() {
                private int row;
                private int table;
                private int prepare;
                private int outcome;

                @Override
                public boolean hasNext() {
                    return row < keys.size() || prepare < others.size() || outcome < outcomes.size();
                }

                @Override
                public byte[] next() {
                    LogRecord record;
                    if (row < keys.size()) {
                        while (row >= tableEnds[table]) {
                            table++;
                        }
                        StoredValue stored = rows.get(row);
                        record = new LogRecord.Entry(TABLES[table], keys.get(row), stored.value(),
                                stored.contentType(), stored.version());
                        row++;
                    } else if (prepare < others.size()) {
                        record = others.get(prepare++);
                    } else if (outcome < outcomes.size()) {
                        Outcome o = outcomes.get(outcome);
                        record = new LogRecord.Decided(TxIds.text(txIds.get(outcome)), o.state(), o.version(),
                                o.decidedAt());
                        outcome++;
                    } else {
                        throw new NoSuchElementException();
                    }
                    return LogRecord.encode(record);
                }
            };
        }
    }

    private static final class Prepared {
        final String txId;
        /** What to apply at commit; a {@link #moveRange} retargets it to the table its key moved to. */
        volatile PrepareRequest request;
        final long versionAtPrepare;
        final long floorAtPrepare;
        final Instant since;
        final ReentrantLock decision = new ReentrantLock();
        volatile long prepareSeq;
        volatile Outcome outcome;
        /** Set by a drop of the key's range from its table: the write no longer applies here. */
        volatile boolean voided;
        /** When "still in doubt" was last logged for it; null before the first time. */
        volatile Instant reportedStillInDoubt;

        Prepared(String txId, PrepareRequest request, long versionAtPrepare, long floorAtPrepare, Instant since) {
            this.txId = txId;
            this.request = request;
            this.versionAtPrepare = versionAtPrepare;
            this.floorAtPrepare = floorAtPrepare;
            this.since = since;
        }
    }

    /** Rebuilds state from the snapshot and the log; runs before the participant takes requests. */
    private final class Replay implements RecoveryHandler {

        @Override
        public void snapshotEntry(byte[] payload) {
            switch (LogRecord.decode(payload)) {
                case LogRecord.Entry e -> tables.putIfNewer(e.table(), e.key(),
                        new StoredValue(e.value(), e.contentType(), e.version()));
                case LogRecord.Tombstone t -> tables.restoreTombstone(t.table(), t.key(),
                        new Tables.Tombstone(t.version(), t.deletedAt().toEpochMilli()));
                case LogRecord.Prepare p -> inDoubt(p);
                case LogRecord.Voided v -> {
                    Prepared entry = prepared.get(v.txId());
                    if (entry != null) {
                        entry.voided = true;
                    }
                }
                case LogRecord.Decided d -> outcomes.put(TxIds.key(d.txId()), new Outcome(d.state(), d.version(), d.decidedAt()));
                case LogRecord other -> throw new IllegalStateException("a snapshot cannot hold " + other);
            }
        }

        @Override
        public void logRecord(byte[] payload) {
            switch (LogRecord.decode(payload)) {
                case LogRecord.Prepare p -> inDoubt(p);
                case LogRecord.Commit c -> decided(c.txId(), new Outcome(TxnState.COMMITTED, c.version(), clock.instant()));
                case LogRecord.Abort a -> decided(a.txId(), new Outcome(TxnState.ABORTED, 0, clock.instant()));
                case LogRecord.Row row -> installRow(row);
                case LogRecord.DropRange d -> applyDrop(d.table(), RangeSelector.of(d.ranges()));
                case LogRecord.MoveRange m -> applyMove(m.from(), m.to(), RangeSelector.of(m.ranges()));
                case LogRecord other -> throw new IllegalStateException("the log cannot hold " + other);
            }
        }

        private void inDoubt(LogRecord.Prepare p) {
            PrepareRequest request = p.request();
            Prepared entry = new Prepared(p.txId(), request, tables.version(request.table(), request.key()),
                    tables.floor(request.table(), request.key()), clock.instant());
            prepared.put(p.txId(), entry);
            keyLocks.put(request.key(), p.txId());
        }

        private void decided(String txId, Outcome outcome) {
            Prepared entry = prepared.get(txId);
            if (entry != null) {
                finish(entry, outcome);
            } else {
                outcomes.put(TxIds.key(txId), outcome);
            }
        }
    }
}
