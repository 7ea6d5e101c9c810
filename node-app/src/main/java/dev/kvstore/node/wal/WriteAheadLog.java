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
    private static final int INITIAL_BATCH_BYTES = 64 * 1024;

    private final WalDirectory files;
    private final WalOptions options;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    // Guarded by lock.
    private ByteBuffer batch = ByteBuffer.allocate(INITIAL_BATCH_BYTES);
    private ByteBuffer spare = ByteBuffer.allocate(INITIAL_BATCH_BYTES);
    private long appendedSeq;
    private long durableSeq;
    private boolean flushing;
    private IOException failure;
    private FileChannel segment;
    private long segmentGeneration;
    private long bytesSinceSnapshot;
    private long latestSnapshot;
    private boolean closed;
    private long appends;
    private long writes;
    private long fsyncs;
    private long largestBatch;
    private long bytes;
    private final Durability durability;
    private final WalListeners listeners = new WalListeners();

    private WriteAheadLog(WalDirectory files, WalOptions options) {
        this.files = files;
        this.options = options;
        this.durability = new Durability(options.fsync());
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
        RecoveryReport report = wal.recover(handler);
        wal.openSegment(wal.segmentGeneration + 1);
        return new Opened(wal, report);
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
            int size = RecordFormat.framedSize(payload.length);
            if (batch.remaining() < size) {
                batch = grow(batch, size);
            }
            RecordFormat.encode(payload, batch);
            bytesSinceSnapshot += size;
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
            if (durability.isLost(seq)) {
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
        ByteBuffer out = batch;
        batch = spare;
        spare = null;
        long target = appendedSeq;
        long records = target - durableSeq;
        FileChannel channel = segment;
        lock.unlock();
        IOException error = null;
        long written = 0;
        try {
            out.flip();
            written = out.remaining();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            long fsyncNanos = -1;
            if (options.fsync() == FsyncPolicy.ALWAYS) {
                long start = System.nanoTime();
                channel.force(false);
                fsyncNanos = System.nanoTime() - start;
            }
            // Outside the lock, so appenders are not held up by the observer.
            listeners.wrote(records, written, fsyncNanos);
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
        }
        out.clear();
        spare = out;
        flushing = false;
        writes++;
        if (error == null && options.fsync() == FsyncPolicy.ALWAYS) {
            fsyncs++;
        }
        largestBatch = Math.max(largestBatch, records);
        if (error != null) {
            fail("writing the log segment " + segmentGeneration, error);
        } else {
            durableSeq = target;
            bytes += written;
            durability.wrote(written);
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
        FileChannel channel;
        long upTo;
        long generation;
        lock.lock();
        try {
            checkUsable();
            channel = segment;
            upTo = durability.writtenSoFar();
            generation = segmentGeneration;
        } finally {
            lock.unlock();
        }
        try {
            long start = System.nanoTime();
            channel.force(false);
            long nanos = System.nanoTime() - start;
            lock.lock();
            try {
                fsyncs++;
                if (generation == segmentGeneration) {
                    durability.forced(upTo);
                }
            } finally {
                lock.unlock();
            }
            listeners.fsynced(nanos);
        } catch (ClosedChannelException rolled) {
            // The segment was rolled meanwhile, and rolling forces the old segment itself.
        } catch (IOException e) {
            lock.lock();
            try {
                fail("fsync of log segment " + segmentGeneration, e);
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
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            checkUsable();
            if (batch.position() > 0) {
                flushBatch();
                checkUsable();
            }
            try {
                if (options.fsync() != FsyncPolicy.OFF) {
                    long start = System.nanoTime();
                    segment.force(false);
                    fsyncs++;
                    durability.forced(durability.writtenSoFar());
                    listeners.fsynced(System.nanoTime() - start);
                }
                segment.close();
                openSegment(segmentGeneration + 1);
            } catch (IOException e) {
                fail("rolling to log segment " + (segmentGeneration + 1), e);
                checkUsable();
            }
            bytesSinceSnapshot = 0;
            return segmentGeneration;
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
            return new WalStats(appends, writes, fsyncs, largestBatch, bytes);
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
            return segmentGeneration;
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
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            if (failure == null || closed) {
                throw new IllegalStateException("only a failed log is reopened");
            }
            try {
                segment.close();
            } catch (IOException ignored) {
                // It failed already; its bytes past the trusted length are cut below.
            }
            durability.cutBack(files);
            durability.lose(durableSeq + 1, appendedSeq);
            durableSeq = appendedSeq;
            batch.clear();
            RecoveryReport report = recover(handler);
            openSegment(segmentGeneration + 1);
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
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            if (failure == null && batch.position() > 0) {
                flushBatch();
            }
            if (failure == null && options.fsync() != FsyncPolicy.OFF) {
                segment.force(false);
            }
            closed = true;
            segment.close();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals ------------------------------------------------------------------------

    /** Recovers the directory into {@code handler}; appends go on after the last segment replayed. */
    private RecoveryReport recover(RecoveryHandler handler) throws IOException {
        Recovery.Result result = Recovery.run(files, options, handler);
        latestSnapshot = result.latestSnapshot();
        segmentGeneration = result.lastSegment();
        bytesSinceSnapshot = result.bytesSinceSnapshot();
        return result.report();
    }

    private void openSegment(long generation) throws IOException {
        segment = files.createSegment(generation);
        segmentGeneration = generation;
        durability.newSegment(SegmentHeader.SIZE);
    }

    private static ByteBuffer grow(ByteBuffer buffer, int needed) {
        int capacity = Math.max(buffer.capacity() * 2, buffer.position() + needed);
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
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
            durability.failedIn(files.segment(segmentGeneration));
            listeners.failed(error);
        }
    }
}
