package dev.kvstore.node.replica;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.RecoveryHandler;
import dev.kvstore.node.wal.RecoveryReport;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's replicated state, rebuilt from its write-ahead log: the tables, the transactions prepared
 * and not decided (holding their keys), the outcomes remembered, and the key locks that votes, installs
 * and drops share. Every logged step changes it through {@link #apply}, live and in replay alike.
 *
 * <p>Locking: steps that log take {@link #shared} (any number at once, so they share fsyncs); a step
 * that must see no other step between its record and the state (a snapshot's capture, a drop, a move,
 * an install under a held key, a rebuild) takes {@link #exclusive}.
 */
public final class Replica {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /** Holds a key in the key locks while an install writes it; longer than any transaction id may be. */
    public static final String INSTALLER = "(range install)" + " ".repeat(TxIds.MAX_LENGTH);

    private final String nodeId;
    private final Clock clock;
    private final Tables tables = new Tables();
    private final ConcurrentHashMap<String, Prepared> prepared = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyLocks = new ConcurrentHashMap<>();
    /** Decided transactions, kept for the outcome retention. */
    private final OutcomeTable outcomes = new OutcomeTable();
    /** The highest version of a commit whose outcome was forgotten; only ever rises (see {@link #mayHaveForgotten}). */
    private final AtomicLong forgottenUpTo = new AtomicLong();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    /** Taken by a snapshot being written and by a rebuild: one of them at a time. */
    private final AtomicBoolean logMaintenance = new AtomicBoolean();
    private WriteAheadLog wal;
    private volatile RecoveryReport recovery;
    /** Odd while the state is being rebuilt from the disk (or a rebuild failed): nothing here is current. */
    private volatile long stateGeneration;

    private Replica(String nodeId, Clock clock) {
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /**
     * Opens the log in {@code dir} and rebuilds the replica from it: committed writes back in the tables,
     * transactions prepared but undecided back in doubt, holding their keys until resolved.
     */
    public static Replica open(String nodeId, Path dir, WalOptions walOptions, Disk disk, Clock clock)
            throws IOException {
        Replica replica = new Replica(nodeId, clock);
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, walOptions, disk, replica.new Replay());
        replica.wal = opened.log();
        replica.recovery = opened.report();
        if (!replica.prepared.isEmpty()) {
            log.warn("nodeId={} recovered {} transactions in doubt: {}", nodeId, replica.prepared.size(),
                    replica.prepared.keySet());
        }
        return replica;
    }

    /**
     * Applies one logged step to the state, the same way live and in replay, so the two cannot drift
     * apart. Live, a prepare or an abort of a transaction never prepared applies as its record is
     * appended (its key is held from then on); a decision and every migration step once its record is
     * durable. A drop or a move needs {@link #exclusive}.
     *
     * @return the keys the step wrote or removed: 1 for a row installed, the keys a drop deleted or a
     *         move took out of its table, 0 for the two-phase-commit records
     */
    public long apply(LogRecord record) {
        return switch (record) {
            case LogRecord.Prepare p -> {
                hold(p);
                yield 0;
            }
            case LogRecord.Commit c -> {
                decided(c.txId(), new Outcome(TxnState.COMMITTED, c.version(), clock.instant()));
                yield 0;
            }
            case LogRecord.Abort a -> {
                decided(a.txId(), new Outcome(TxnState.ABORTED, 0, clock.instant()));
                yield 0;
            }
            case LogRecord.Resolving r -> {
                markResolving(r.txId());
                yield 0;
            }
            case LogRecord.Row row -> installRow(row) ? 1 : 0;
            case LogRecord.DropRange d -> RangeSteps.drop(tables, prepared.values(), d.table(), RangeSelector.of(d.ranges()));
            case LogRecord.MoveRange m -> RangeSteps.move(tables, prepared.values(), m.from(), m.to(),
                    RangeSelector.of(m.ranges()));
            case LogRecord other -> throw new IllegalStateException("the log cannot hold " + other);
        };
    }

    /** Restores one entry of a snapshot, as it was captured. */
    private void restore(LogRecord record) {
        switch (record) {
            case LogRecord.Entry e -> tables.putIfNewer(e.table(), e.key(),
                    new StoredValue(e.value(), e.contentType(), e.version()));
            case LogRecord.Tombstone t -> tables.restoreTombstone(t.table(), t.key(),
                    new Tables.Tombstone(t.version(), t.deletedAt().toEpochMilli()));
            case LogRecord.Prepare p -> hold(p);
            case LogRecord.Resolving r -> markResolving(r.txId());
            case LogRecord.Voided v -> {
                Prepared entry = prepared.get(v.txId());
                if (entry != null) {
                    entry.voided(true);
                }
            }
            // A fresh retention, as for a decision replayed from the log: a peer that was down with this
            // node (a power cut) may still ask about it once both are back, however long they were down.
            case LogRecord.Decided d -> outcomes.put(d.txId(), new Outcome(d.state(), d.version(), clock.instant()));
            case LogRecord.Forgotten f -> forgottenUpTo.accumulateAndGet(f.upToVersion(), Math::max);
            case LogRecord other -> throw new IllegalStateException("a snapshot cannot hold " + other);
        }
    }

    /**
     * A write in doubt: held with its key, or, for one already held here (a copy brought it again), its
     * write retargeted and pending again if a drop had voided it.
     */
    private void hold(LogRecord.Prepare p) {
        PrepareRequest request = p.request();
        Prepared known = prepared.get(p.txId());
        if (known != null) {
            known.request(request);
            known.voided(false);
            return;
        }
        StoredValue stored = tables.value(request.table(), request.key());
        prepared.put(p.txId(), new Prepared(p.txId(), request, stored == null ? 0 : stored.version(),
                tables.floor(request.table(), request.key(), stored), clock.instant()));
        keyLocks.put(request.key(), p.txId());
    }

    private void markResolving(String txId) {
        Prepared entry = prepared.get(txId);
        if (entry != null) {
            entry.resolving(true);
        }
    }

    private void decided(String txId, Outcome outcome) {
        Prepared entry = prepared.get(txId);
        if (entry != null) {
            finish(entry, outcome);
        } else {
            outcomes.put(txId, outcome);
        }
    }

    private void finish(Prepared entry, Outcome outcome) {
        if (outcome.state() == TxnState.COMMITTED) {
            applyWrite(entry, outcome.version());
        }
        entry.outcome(outcome);
        outcomes.put(entry.txId(), outcome);
        prepared.remove(entry.txId(), entry);
        keyLocks.remove(entry.request().key(), entry.txId());
        entry.released();
    }

    /**
     * Applies a committed write unless a drop voided it or the key already holds something at least as
     * new (see {@link Tables}): then the transaction keeps its outcome and the table keeps the newer state.
     */
    private void applyWrite(Prepared entry, long version) {
        PrepareRequest request = entry.request();
        if (entry.voided()) {
            log.info("nodeId={} txId={} committed, but {} left {} while it was in doubt: not applied", nodeId,
                    entry.txId(), request.key(), request.table());
            return;
        }
        boolean applied = request.op() == WriteOp.PUT
                ? tables.putIfNewer(request.table(), request.key(), new StoredValue(request.value(),
                        request.contentType() == null ? DEFAULT_CONTENT_TYPE : request.contentType(), version))
                : tables.deleteIfNewer(request.table(), request.key(), version, clock.instant());
        if (!applied) {
            log.info("nodeId={} txId={} committed at version {}, but {} in {} holds version {}: not applied", nodeId,
                    entry.txId(), version, request.key(), request.table(), tables.floor(request.table(), request.key()));
        }
    }

    /** Installs a copied row if newer than the key's floor (the rule in {@link Tables}). */
    private boolean installRow(LogRecord.Row row) {
        return switch (row) {
            case LogRecord.Entry e -> tables.putIfNewer(e.table(), e.key(), new StoredValue(e.value(),
                    e.contentType() == null ? DEFAULT_CONTENT_TYPE : e.contentType(), e.version()));
            case LogRecord.Tombstone t -> tables.deleteIfNewer(t.table(), t.key(), t.version(), t.deletedAt());
        };
    }

    // ---- locks ----------------------------------------------------------------------------

    /** Held by every step that logs; many at once. */
    public Lock shared() {
        return stateLock.readLock();
    }

    /** Excludes every other step: for those that must see nothing change between their record and the state. */
    public Lock exclusive() {
        return stateLock.writeLock();
    }

    /** Holds {@code key} for {@code holder} unless someone holds it; returns that one, or null when it is held now. */
    public String lockKey(String key, String holder) {
        return keyLocks.putIfAbsent(key, holder);
    }

    public void unlockKey(String key, String holder) {
        keyLocks.remove(key, holder);
    }

    /** Who holds the key: a transaction id, {@link #INSTALLER}, or null. */
    public String keyHolder(String key) {
        return keyLocks.get(key);
    }

    /** Forgets a prepare whose record did not become durable (it was never answered). */
    public void forget(Prepared entry) {
        prepared.remove(entry.txId(), entry);
        entry.released();
    }

    /**
     * Waits at most {@code max} for the transaction holding {@code key} to be decided; true when no
     * transaction holds it now (a range install may still), false when one still does.
     */
    public boolean awaitRelease(String key, Duration max) {
        String holder = keyLocks.get(key);
        Prepared entry = holder == null ? null : prepared.get(holder);
        return entry == null || entry.awaitRelease(max) || !holder.equals(keyLocks.get(key));
    }

    /**
     * Starts a snapshot write or a rebuild, which exclude each other; false when one is under way.
     * {@link #endLogMaintenance} ends it.
     */
    public boolean startLogMaintenance() {
        return logMaintenance.compareAndSet(false, true);
    }

    public void endLogMaintenance() {
        logMaintenance.set(false);
    }

    // ---- what the services read -----------------------------------------------------------

    public String nodeId() {
        return nodeId;
    }

    public Tables tables() {
        return tables;
    }

    /** For the wiring, which makes it a bean of its own; the replica opens it because it replays it. */
    public WriteAheadLog log() {
        return wal;
    }

    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** The undecided transaction, or null. */
    public Prepared pending(String txId) {
        return prepared.get(txId);
    }

    /** The transactions prepared here and not decided yet: a live, weakly consistent view. */
    public Collection<Prepared> pendingWrites() {
        return Collections.unmodifiableCollection(prepared.values());
    }

    public int inDoubt() {
        return prepared.size();
    }

    /** The remembered outcome, or null. */
    public Outcome outcome(String txId) {
        return outcomes.get(txId);
    }

    public int outcomeCount() {
        return outcomes.size();
    }

    /** A copy of every outcome remembered, for a snapshot that excludes every other step meanwhile. */
    public OutcomeTable.Captured captureOutcomes() {
        return outcomes.capture();
    }

    /**
     * Forgets outcomes decided before {@code cutoff}; returns how many. Each forgotten commit's version is
     * counted in {@link #forgottenUpTo()} before its outcome goes, and a snapshot cannot start meanwhile,
     * so no snapshot misses both.
     */
    public int pruneOutcomes(Instant cutoff) {
        stateLock.readLock().lock();
        try {
            return outcomes.prune(cutoff, version -> forgottenUpTo.accumulateAndGet(version, Math::max));
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** The highest version of a commit this replica has forgotten (0 for none), kept across restarts by snapshots. */
    public long forgottenUpTo() {
        return forgottenUpTo.get();
    }

    /**
     * Whether this replica may have committed a transaction prepared at {@code version} and forgotten it:
     * it has forgotten a commit at that version or above, or the version is not known (0) and it has
     * forgotten any commit. When false, a transaction it does not know was never committed here.
     */
    public boolean mayHaveForgotten(long version) {
        long upTo = forgottenUpTo.get();
        return upTo != 0 && version <= upTo;
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
        if (!startLogMaintenance()) {
            throw new IOException("a snapshot is being written; the log is reopened after it");
        }
        try {
            stateLock.writeLock().lock();
            try {
                if ((stateGeneration & 1) == 0) {
                    stateGeneration++;
                }
                tables.clear();
                prepared.values().forEach(Prepared::released); // waiters look again at the rebuilt state
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
            endLogMaintenance();
        }
    }

    /** Rebuilds state from the snapshot and the log; runs before the replica serves anything. */
    private final class Replay implements RecoveryHandler {

        @Override
        public void snapshotEntry(byte[] payload) {
            restore(LogRecord.decode(payload));
        }

        @Override
        public void logRecord(byte[] payload) {
            apply(LogRecord.decode(payload));
        }
    }
}
