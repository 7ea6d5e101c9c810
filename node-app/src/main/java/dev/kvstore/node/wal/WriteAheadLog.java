package dev.kvstore.node.wal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final byte SNAPSHOT_ENTRY = 0;
    private static final byte SNAPSHOT_END = 1;
    private static final int INITIAL_BATCH_BYTES = 64 * 1024;

    private final Path dir;
    private final WalOptions options;
    private final Disk disk;

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
    /** Bytes of the current segment written, and of those the ones the fsync policy has made durable. */
    private long segmentWritten;
    private long segmentTrusted;
    /** The segment that failed and how much of it to keep; null once cut back by a reopen. */
    private Path failedSegment;
    private long failedSegmentTrusted;
    /** Sequence ranges {from, to} of records lost when the log failed: never durable, whatever happens next. */
    private final List<long[]> lost = new ArrayList<>();
    private final List<WalListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WriteAheadLog(Path dir, WalOptions options, Disk disk) {
        this.dir = dir;
        this.options = options;
        this.disk = disk;
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
        Files.createDirectories(dir);
        WriteAheadLog wal = new WriteAheadLog(dir, options, disk);
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
            for (long[] range : lost) {
                if (seq >= range[0] && seq <= range[1]) {
                    throw new WalException("the record was lost when the write-ahead log failed",
                            failure != null ? failure : new IOException("log failure before a reopen"));
                }
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
            tell(records, written, fsyncNanos);
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
            segmentWritten += written;
            if (options.fsync() != FsyncPolicy.BATCHED) {
                segmentTrusted = segmentWritten;
            }
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
            upTo = segmentWritten;
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
                    segmentTrusted = Math.max(segmentTrusted, upTo);
                }
            } finally {
                lock.unlock();
            }
            tell(0, 0, nanos);
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
                    segmentTrusted = segmentWritten;
                    tell(0, 0, System.nanoTime() - start);
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
        Path target = dir.resolve(snapshotName(generation));
        Path tmp = dir.resolve(snapshotName(generation) + ".tmp");
        long count = 0;
        try (FileChannel channel = disk.open(tmp, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BATCH_BYTES);
            while (entries.hasNext()) {
                buffer = writeFramed(channel, buffer, tagged(SNAPSHOT_ENTRY, entries.next()));
                count++;
            }
            byte[] end = ByteBuffer.allocate(8).putLong(count).array();
            buffer = writeFramed(channel, buffer, tagged(SNAPSHOT_END, end));
            drain(channel, buffer);
            channel.force(true);
        } catch (IOException e) {
            // A full disk is the likely cause: give back the space the partial snapshot took.
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        disk.syncDirectory(dir);
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
        deleteOlderThan(SNAPSHOT, keepFrom);
        deleteOlderThan(SEGMENT, keepFrom);
        disk.syncDirectory(dir);
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
        return list(SEGMENT).size();
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
            if (failedSegment != null) {
                truncate(failedSegment, failedSegmentTrusted);
                disk.syncDirectory(dir);
                failedSegment = null;
            }
            if (appendedSeq > durableSeq) {
                lost.add(new long[] {durableSeq + 1, appendedSeq});
            }
            durableSeq = appendedSeq;
            batch.clear();
            bytesSinceSnapshot = 0;
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
        return dir;
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

    // ---- recovery -------------------------------------------------------------------------

    private RecoveryReport recover(RecoveryHandler handler) throws IOException {
        try (Stream<Path> stale = Files.list(dir)) {
            for (Path tmp : stale.filter(p -> p.getFileName().toString().endsWith(".snap.tmp")).toList()) {
                Files.delete(tmp);
            }
        }
        TreeMap<Long, Path> snapshots = list(SNAPSHOT);
        TreeMap<Long, Path> segments = list(SEGMENT);
        List<Path> setAside = new ArrayList<>();

        long snapshotGeneration = 0;
        long snapshotEntries = 0;
        for (var candidate : snapshots.descendingMap().entrySet()) {
            Optional<String> problem = validateSnapshot(candidate.getValue());
            if (problem.isEmpty()) {
                snapshotGeneration = candidate.getKey();
                snapshotEntries = loadSnapshot(candidate.getValue(), handler);
                break;
            }
            log.error("Snapshot {} is unreadable ({}); setting it aside and trying an older one",
                    candidate.getValue(), problem.get());
            setAside.add(setAside(candidate.getValue()));
        }
        latestSnapshot = snapshotGeneration;
        segmentGeneration = Math.max(0, snapshotGeneration - 1);

        long records = 0;
        RecoveryReport.Damage damage = null;
        // Replay must start where the loaded state ends: at the snapshot's own segment, or at the very
        // first segment when there is no snapshot. Anything else would apply records to a state they
        // were never meant for.
        long expected = snapshotGeneration > 0 ? snapshotGeneration : 1;
        for (var entry : segments.tailMap(snapshotGeneration, true).entrySet()) {
            long generation = entry.getKey();
            Path file = entry.getValue();
            if (damage != null) {
                setAside.add(setAside(file));
                continue;
            }
            if (generation != expected) {
                damage = new RecoveryReport.Damage(file, 0, "segment " + expected + " is missing", setAside);
                setAside.add(setAside(file));
                continue;
            }
            SegmentReplay replay = replaySegment(file, handler);
            records += replay.records();
            bytesSinceSnapshot += replay.validBytes();
            segmentGeneration = generation;
            expected = generation + 1;
            if (replay.damage() != null) {
                truncate(file, replay.validBytes());
                damage = new RecoveryReport.Damage(file, replay.validBytes(), replay.damage(), setAside);
            }
        }
        if (damage != null) {
            damage = new RecoveryReport.Damage(damage.file(), damage.offset(), damage.reason(), List.copyOf(setAside));
            log.error("Write-ahead log damaged in {} at offset {}: {}. Truncated there; replayed {} records "
                            + "before it and none after; set aside: {}",
                    damage.file(), damage.offset(), damage.reason(), records, setAside);
        } else if (!setAside.isEmpty()) {
            damage = new RecoveryReport.Damage(setAside.getFirst(), 0, "unreadable snapshot", List.copyOf(setAside));
        }
        log.info("Recovered snapshot {} ({} entries) and {} log records from {}",
                snapshotGeneration, snapshotEntries, records, dir);
        return new RecoveryReport(snapshotGeneration, snapshotEntries, records, Optional.ofNullable(damage));
    }

    private record SegmentReplay(long records, long validBytes, String damage) {
    }

    private SegmentReplay replaySegment(Path file, RecoveryHandler handler) throws IOException {
        long records = 0;
        long offset = 0;
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.READ));
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)) {
            while (true) {
                RecordFormat.ReadResult result = RecordFormat.read(in, options.maxRecordBytes());
                switch (result) {
                    case RecordFormat.ReadResult.End end -> {
                        return new SegmentReplay(records, offset, null);
                    }
                    case RecordFormat.ReadResult.Damaged damaged -> {
                        return new SegmentReplay(records, offset, damaged.reason());
                    }
                    case RecordFormat.ReadResult.Record record -> {
                        handler.logRecord(record.payload());
                        records++;
                        offset += RecordFormat.framedSize(record.payload().length);
                    }
                }
            }
        }
    }

    /** Reads a snapshot through to its end marker without applying anything. */
    private Optional<String> validateSnapshot(Path file) throws IOException {
        return readSnapshot(file, null).problem();
    }

    private long loadSnapshot(Path file, RecoveryHandler handler) throws IOException {
        SnapshotRead read = readSnapshot(file, handler);
        if (read.problem().isPresent()) {
            // It validated a moment ago; a change in between means the disk is failing under us.
            throw new IOException("snapshot " + file + " changed while loading: " + read.problem().get());
        }
        return read.entries();
    }

    private record SnapshotRead(long entries, Optional<String> problem) {
    }

    private SnapshotRead readSnapshot(Path file, RecoveryHandler handler) throws IOException {
        long entries = 0;
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.READ));
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)) {
            while (true) {
                RecordFormat.ReadResult result = RecordFormat.read(in, options.maxRecordBytes() + 1);
                if (!(result instanceof RecordFormat.ReadResult.Record(byte[] payload)) || payload.length == 0) {
                    String why = result instanceof RecordFormat.ReadResult.Damaged d ? d.reason() : "no end marker";
                    return new SnapshotRead(entries, Optional.of(why));
                }
                byte[] body = Arrays.copyOfRange(payload, 1, payload.length);
                if (payload[0] == SNAPSHOT_END) {
                    long declared = body.length == 8 ? ByteBuffer.wrap(body).getLong() : -1;
                    if (declared != entries) {
                        return new SnapshotRead(entries, Optional.of(
                                "end marker counts " + declared + " entries, found " + entries));
                    }
                    return new SnapshotRead(entries, Optional.empty());
                }
                if (payload[0] != SNAPSHOT_ENTRY) {
                    return new SnapshotRead(entries, Optional.of("unknown entry tag " + payload[0]));
                }
                if (handler != null) {
                    handler.snapshotEntry(body);
                }
                entries++;
            }
        }
    }

    // ---- files ----------------------------------------------------------------------------

    private void openSegment(long generation) throws IOException {
        Path file = segmentFile(generation);
        segment = disk.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        segmentGeneration = generation;
        segmentWritten = 0;
        segmentTrusted = 0;
        disk.syncDirectory(dir);
    }

    private Path segmentFile(long generation) {
        return dir.resolve("wal-%020d.log".formatted(generation));
    }

    private void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.WRITE))) {
            channel.truncate(length);
            channel.force(true);
        }
    }

    private Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    private TreeMap<Long, Path> list(Pattern pattern) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(Long.parseLong(m.group(1)), p);
                }
            });
        }
        return found;
    }

    private void deleteOlderThan(Pattern pattern, long generation) throws IOException {
        for (Path old : list(pattern).headMap(generation).values()) {
            Files.deleteIfExists(old);
        }
    }

    private static String snapshotName(long generation) {
        return "snapshot-%020d.snap".formatted(generation);
    }

    private static byte[] tagged(byte tag, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static ByteBuffer writeFramed(FileChannel channel, ByteBuffer buffer, byte[] payload) throws IOException {
        int size = RecordFormat.framedSize(payload.length);
        if (buffer.remaining() < size) {
            drain(channel, buffer);
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocate(size);
            }
        }
        RecordFormat.encode(payload, buffer);
        return buffer;
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static ByteBuffer grow(ByteBuffer buffer, int needed) {
        int capacity = Math.max(buffer.capacity() * 2, buffer.position() + needed);
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    /** {@code records} 0: a fsync alone; {@code fsyncNanos} negative: a write without fsync. */
    private void tell(long records, long written, long fsyncNanos) {
        for (WalListener observer : listeners) {
            try {
                if (records > 0) {
                    observer.batchWritten(records, written);
                }
                if (fsyncNanos >= 0) {
                    observer.fsynced(fsyncNanos);
                }
            } catch (RuntimeException e) {
                log.warn("Write-ahead log listener failed; ignoring it", e);
            }
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
            failedSegment = segmentFile(segmentGeneration);
            failedSegmentTrusted = segmentTrusted;
            for (WalListener observer : listeners) {
                try {
                    observer.failed(error);
                } catch (RuntimeException e) {
                    log.warn("Write-ahead log listener failed; ignoring it", e);
                }
            }
        }
    }
}
