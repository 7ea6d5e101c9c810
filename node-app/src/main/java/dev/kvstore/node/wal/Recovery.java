package dev.kvstore.node.wal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery, the same after a restart and after a failed log is reopened: the newest snapshot that reads
 * through to its end marker (unreadable ones set aside), then the segments from its generation on, in
 * order, each replayed up to its first torn or corrupt record. There the segment is cut and every later
 * segment set aside; a missing segment counts as damage too. Damage is reported and logged, never thrown,
 * and never skipped over.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /**
     * What recovery found, and where appends go on from.
     *
     * @param lastSegment        the generation of the last segment replayed (0 when none); the next is one more
     * @param latestSnapshot     the generation of the snapshot loaded (0 when none)
     * @param bytesSinceSnapshot log bytes replayed on top of it
     */
    record Result(RecoveryReport report, long lastSegment, long latestSnapshot, long bytesSinceSnapshot) {
    }

    private record SegmentReplay(long records, long validBytes, String damage) {
    }

    private Recovery() {
    }

    static Result run(WalDirectory dir, WalOptions options, RecoveryHandler handler) throws IOException {
        dir.deleteTemporaries();
        TreeMap<Long, Path> snapshots = dir.snapshots();
        TreeMap<Long, Path> segments = dir.segments();
        List<Path> setAside = new ArrayList<>();

        long snapshotGeneration = 0;
        long snapshotEntries = 0;
        for (var candidate : snapshots.descendingMap().entrySet()) {
            Optional<String> problem = SnapshotFile.read(candidate.getValue(), dir.disk(), options.maxRecordBytes(), null)
                    .problem();
            if (problem.isEmpty()) {
                snapshotGeneration = candidate.getKey();
                snapshotEntries = load(candidate.getValue(), dir.disk(), options, handler);
                break;
            }
            log.error("Snapshot {} is unreadable ({}); setting it aside and trying an older one",
                    candidate.getValue(), problem.get());
            setAside.add(dir.setAside(candidate.getValue()));
        }
        long lastSegment = Math.max(0, snapshotGeneration - 1);

        long records = 0;
        long bytesSinceSnapshot = 0;
        RecoveryReport.Damage damage = null;
        // Replay must start where the loaded state ends: at the snapshot's own segment, or at the very
        // first segment when there is no snapshot. Anything else would apply records to a state they
        // were never meant for.
        long expected = snapshotGeneration > 0 ? snapshotGeneration : 1;
        for (var entry : segments.tailMap(snapshotGeneration, true).entrySet()) {
            long generation = entry.getKey();
            Path file = entry.getValue();
            if (damage != null) {
                setAside.add(dir.setAside(file));
                continue;
            }
            if (generation != expected) {
                damage = new RecoveryReport.Damage(file, 0, "segment " + expected + " is missing", setAside);
                setAside.add(dir.setAside(file));
                continue;
            }
            SegmentReplay replay = replay(file, dir.disk(), options, handler);
            records += replay.records();
            bytesSinceSnapshot += replay.validBytes();
            lastSegment = generation;
            expected = generation + 1;
            if (replay.damage() != null) {
                dir.truncate(file, replay.validBytes());
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
                snapshotGeneration, snapshotEntries, records, dir.path());
        RecoveryReport report = new RecoveryReport(snapshotGeneration, snapshotEntries, records,
                Optional.ofNullable(damage));
        return new Result(report, lastSegment, snapshotGeneration, bytesSinceSnapshot);
    }

    private static long load(Path file, Disk disk, WalOptions options, RecoveryHandler handler) throws IOException {
        SnapshotFile.Read read = SnapshotFile.read(file, disk, options.maxRecordBytes(), handler);
        if (read.problem().isPresent()) {
            // It validated a moment ago; a change in between means the disk is failing under us.
            throw new IOException("snapshot " + file + " changed while loading: " + read.problem().get());
        }
        return read.entries();
    }

    private static SegmentReplay replay(Path file, Disk disk, WalOptions options, RecoveryHandler handler)
            throws IOException {
        long records = 0;
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.READ));
             BufferedInputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)) {
            long offset = SegmentHeader.read(in);
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
}
