package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of opaque records in numbered segments, with snapshots that bound its length.
 *
 * <p>Appending is two steps so that concurrent writers share fsyncs (group commit): {@link #append}
 * only copies the framed record into an in-memory batch and returns its sequence number;
 * {@link #awaitDurable} makes it durable. The first waiter to find no flush running becomes the
 * leader: it takes the whole batch, writes it with one call and fsyncs once, while later appends
 * gather in the next batch. Everyone whose record was in the batch returns together.
 *
 * <p>A snapshot of generation N holds the caller's state as of the start of segment N. Recovery
 * loads the newest readable snapshot and replays the segments from N on; the previous snapshot and
 * the segments after it are kept, so one unreadable snapshot still leaves a way back.
 *
 * <p>A failed write or fsync ends appends: the log refuses every record until {@link #reopen}. A
 * failed fsync is never retried, and nothing written since the last one that succeeded is trusted
 * (the kernel may have dropped those pages and marked them clean, the fsync lesson PostgreSQL
 * learned in 2018): reopening cuts the segment back to what was durable, then runs the same recovery
 * a restart runs. Records appended but not durable when the log failed stay lost: waiting for one
 * throws, also after the reopen.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

    private final WalDirectory files;
    private final WalOptions options;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    // Guarded by lock.
    private final PendingBatch batch = new PendingBatch();
    private long appendedSeq;
    private long durableSeq;
    private boolean flushing;
    private IOException failure;
    private final ActiveSegment segment;
    private long bytesSinceSnapshot;
    private long latestSnapshot;
    private boolean closed;
    private long appends;
    private long largestBatch;
    private final WalListeners listeners = new WalListeners();
    private final LazySync lazySync = new LazySync(this::awaitDurable);

    private WriteAheadLog(WalDirectory files, WalOptions options) {
        this.files = files;
        this.options = options;
        this.segment = new ActiveSegment(files, options.fsync());
    }

    /** The result of opening a log: the log, ready for appends, and what recovery found. */
    public record Opened(WriteAheadLog log, RecoveryReport report) {
    }

    /**
     * Recovers the log in {@code dir} (created if missing) into {@code handler}, then opens a fresh
     * segment for appends. A torn or corrupt record ends replay: its file is cut there, later files
     * are set aside, and the damage is reported and logged, never thrown.
     */
    public static Opened open(Path dir, WalOptions options, Disk disk, RecoveryHandler handler)
            throws IOException {
        WriteAheadLog wal = new WriteAheadLog(new WalDirectory(dir, disk), options);
        return new Opened(wal, wal.recover(handler));
    }

    /** Adds a record to the current batch; it is durable once {@link #awaitDurable} returns. */
    public long append(byte[] payload) {
        if (payload.length > options.maxRecordBytes()) {
            throw new IllegalArgumentException(
                    "record of " + payload.length + " bytes exceeds the limit of " + options.maxRecordBytes());
        }
        lock.lock();
        try {
            checkUsable();
            bytesSinceSnapshot += batch.add(payload);
            appends++;
            return ++appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the record with this sequence number is durable under the fsync policy. */
    public void awaitDurable(long seq) {
        lock.lock();
        try {
            if (segment.isLost(seq)) {
                throw new WalException("the record was lost when the write-ahead log failed",
                        failure != null ? failure : new IOException("log failure before a reopen"));
            }
            while (durableSeq < seq) {
                checkUsable();
                if (flushing) {
                    flushed.awaitUninterruptibly();
                } else {
                    flushBatch();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the record {@code seq} durable soon without anyone waiting for it (a COMMIT after the write was
     * decided): it rides on the next group commit someone waits for, or on one of its own ({@link LazySync}).
     */
    public void syncSoon(long seq) {
        lazySync.request(seq);
    }

    /** Blocks until everything appended so far is durable. */
    public void awaitAllDurable() {
        long target;
        lock.lock();
        try {
            target = appendedSeq;
        } finally {
            lock.unlock();
        }
        awaitDurable(target);
    }

    /** {@link #append} then {@link #awaitDurable}. */
    public void appendDurably(byte[] payload) {
        awaitDurable(append(payload));
    }

    /**
     * Leads one flush: swaps the batch out, then writes and fsyncs it without holding the lock, so
     * appends keep gathering in the next batch meanwhile. Called with the lock held.
     */
    private void flushBatch() {
        flushing = true;
        ByteBuffer out = batch.take();
        long target = appendedSeq;
        long records = target - durableSeq;
        FileChannel channel = segment.channel();
        lock.unlock();
        IOException error = null;
        long written = 0;
        try {
            written = out.remaining();
            long fsyncNanos = ActiveSegment.writeOut(channel, out, options.fsync());
            // Outside the lock, so appenders are not held up by the observer.
            listeners.wrote(records, written, fsyncNanos);
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
        }
        batch.giveBack(out);
        flushing = false;
        segment.wrote(written, error == null);
        largestBatch = Math.max(largestBatch, records);
        if (error != null) {
            fail("writing the log segment " + segment.generation(), error);
        } else {
            durableSeq = target;
        }
        flushed.signalAll();
    }

    /**
     * Fsyncs what has been written so far. The timer behind {@link FsyncPolicy#BATCHED} calls this;
     * under the other policies it does nothing.
     */
    public void force() {
        if (options.fsync() != FsyncPolicy.BATCHED) {
            return;
        }
        ActiveSegment.Force force;
        lock.lock();
        try {
            checkUsable();
            force = segment.force();
        } finally {
            lock.unlock();
        }
        try {
            long nanos = force.run();
            lock.lock();
            try {
                segment.forced(force);
            } finally {
                lock.unlock();
            }
            listeners.fsynced(nanos);
        } catch (ClosedChannelException rolled) {
            // The segment was rolled meanwhile, and rolling forces the old segment itself.
        } catch (IOException e) {
            lock.lock();
            try {
                fail("fsync of log segment " + segment.generation(), e);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether enough has been logged since the last snapshot that a new one is due. */
    public boolean snapshotDue() {
        lock.lock();
        try {
            return bytesSinceSnapshot >= options.snapshotAfterBytes();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes everything appended so far durable and starts a new segment; returns its generation,
     * which is the generation of the snapshot the caller now captures. The caller must hold off its
     * own appends between this call and capturing its state, so the two agree.
     */
    public long rollSegment() {
        lock.lock();
        try {
            awaitNoFlush();
            checkUsable();
            if (!batch.isEmpty()) {
                flushBatch();
                checkUsable();
            }
            try {
                long fsyncNanos = segment.forceWritten();
                if (fsyncNanos >= 0) {
                    listeners.fsynced(fsyncNanos);
                }
                segment.next();
            } catch (IOException e) {
                fail("rolling to log segment " + (segment.generation() + 1), e);
                checkUsable();
            }
            bytesSinceSnapshot = 0;
            return segment.generation();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the snapshot of {@code generation} (from {@link #rollSegment}) atomically: to a temporary
     * file, fsynced, then renamed into place. Then drops what it makes unnecessary, keeping the
     * previous snapshot and the segments after it.
     */
    public void writeSnapshot(long generation, Iterator<byte[]> entries) throws IOException {
        long count = SnapshotFile.write(files, generation, entries);
        long previous;
        lock.lock();
        try {
            previous = latestSnapshot;
            latestSnapshot = Math.max(latestSnapshot, generation);
        } finally {
            lock.unlock();
        }
        // Keep the previous snapshot and the segments from its generation on, so an unreadable new
        // snapshot still leaves a way back. With no previous snapshot that way back is the empty state
        // plus the whole log, so nothing is deleted until the second snapshot (previous 0 keeps all).
        long keepFrom = previous;
        files.deleteBefore(keepFrom);
        log.info("Snapshot {} written with {} entries; log kept from generation {}", generation, count, keepFrom);
    }

    public WalStats stats() {
        lock.lock();
        try {
            return segment.stats(appends, largestBatch);
        } finally {
            lock.unlock();
        }
    }

    /** Whether appends are still accepted: false after a failed write or fsync, or after close. */
    public boolean isWritable() {
        lock.lock();
        try {
            return failure == null && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Why the log stopped accepting appends: the write or fsync that failed, if one did. */
    public Optional<IOException> failure() {
        lock.lock();
        try {
            return Optional.ofNullable(failure);
        } finally {
            lock.unlock();
        }
    }

    /** The generation of the segment appends go to now ({@code wal-<generation>.log}). */
    public long currentSegment() {
        lock.lock();
        try {
            return segment.generation();
        } finally {
            lock.unlock();
        }
    }

    /** How many segment files the directory holds: the current one and those kept for recovery. */
    public int segmentFiles() throws IOException {
        return files.segments().size();
    }

    /** Adds one who hears of each write, fsync and failure from now on. */
    public void addListener(WalListener listener) {
        listeners.add(listener);
    }

    /**
     * Makes a failed log take appends again, as a restart would: cuts the segment that failed back to
     * what the fsync policy had made durable, then recovers the directory into {@code handler} (which
     * must start from an empty state) and opens a fresh segment. The caller holds off every other use
     * of the log meanwhile. Throws, leaving the log failed, when the disk still fails; try again later.
     *
     * @return what recovery found
     * @throws IllegalStateException when the log has not failed (or is closed)
     */
    public RecoveryReport reopen(RecoveryHandler handler) throws IOException {
        lock.lock();
        try {
            awaitNoFlush();
            if (failure == null || closed) {
                throw new IllegalStateException("only a failed log is reopened");
            }
            segment.cutBack(durableSeq + 1, appendedSeq);
            durableSeq = appendedSeq;
            batch.discard();
            RecoveryReport report = recover(handler);
            IOException was = failure;
            failure = null;
            log.warn("Write-ahead log reopened after its failure ({}): recovered {} log records on top of snapshot {}; "
                    + "taking appends again", was.toString(), report.logRecords(), report.snapshotGeneration());
            return report;
        } finally {
            lock.unlock();
        }
    }

    public Path directory() {
        return files.path();
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            awaitNoFlush();
            if (failure == null && !batch.isEmpty()) {
                flushBatch();
            }
            if (failure == null && options.fsync() != FsyncPolicy.OFF) {
                segment.channel().force(false);
            }
            closed = true;
            segment.channel().close();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals ------------------------------------------------------------------------

    /** Recovers the directory into {@code handler}, then opens a segment after the last one replayed. */
    private RecoveryReport recover(RecoveryHandler handler) throws IOException {
        Recovery.Result result = Recovery.run(files, options, handler);
        latestSnapshot = result.latestSnapshot();
        bytesSinceSnapshot = result.bytesSinceSnapshot();
        segment.open(result.lastSegment() + 1);
        return result.report();
    }

    /** Waits until no flush is running; called with the lock held. */
    private void awaitNoFlush() {
        while (flushing) {
            flushed.awaitUninterruptibly();
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new WalException("the write-ahead log failed earlier and accepts no more records", failure);
        }
        if (closed) {
            throw new WalException("the write-ahead log is closed", new ClosedChannelException());
        }
    }

    /** Called with the lock held; the listeners hear of it on a thread of their own choosing. */
    private void fail(String what, IOException error) {
        if (failure == null) {
            log.error("Write-ahead log failed {}; refusing further appends until it is reopened: {}", what,
                    error.toString());
            failure = error;
            segment.failed();
            listeners.failed(error);
        }
    }
}
