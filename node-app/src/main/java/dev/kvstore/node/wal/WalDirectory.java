package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The log's directory: segments {@code wal-<generation>.log}, snapshots {@code snapshot-<generation>.snap}
 * (written as {@code .snap.tmp} first), and files set aside as {@code .damaged}. The only place that
 * knows the names; every channel goes through the {@link Disk} seam.
 */
final class WalDirectory {

    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final String TEMPORARY = ".tmp";

    private final Path dir;
    private final Disk disk;

    WalDirectory(Path dir, Disk disk) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.disk = disk;
    }

    Path path() {
        return dir;
    }

    Disk disk() {
        return disk;
    }

    Path segment(long generation) {
        return dir.resolve("wal-%020d.log".formatted(generation));
    }

    Path snapshot(long generation) {
        return dir.resolve("snapshot-%020d.snap".formatted(generation));
    }

    Path temporarySnapshot(long generation) {
        return dir.resolve(snapshot(generation).getFileName() + TEMPORARY);
    }

    /** Segment files by generation. */
    TreeMap<Long, Path> segments() throws IOException {
        return list(SEGMENT);
    }

    /** Snapshot files by generation (published ones only, not temporaries). */
    TreeMap<Long, Path> snapshots() throws IOException {
        return list(SNAPSHOT);
    }

    /**
     * Creates segment {@code generation} for appends, its header ({@link SegmentHeader}) written and its
     * directory entry made durable.
     */
    FileChannel createSegment(long generation) throws IOException {
        FileChannel channel = disk.open(segment(generation), Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        try {
            ByteBuffer header = SegmentHeader.encode();
            while (header.hasRemaining()) {
                channel.write(header);
            }
            // No fsync of its own: the first fsync of a record covers it, and a segment whose header a crash
            // lost holds no durable record (it reads as empty, or is cut at 0 as a torn tail).
            sync();
        } catch (IOException e) {
            // It holds no record: take it away, so recovery does not read its torn header as damage.
            channel.close();
            Files.deleteIfExists(segment(generation));
            throw e;
        }
        return channel;
    }

    /** Cuts {@code file} to {@code length} bytes, durably. */
    void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.WRITE))) {
            channel.truncate(length);
            channel.force(true);
        }
    }

    /** Renames a file recovery cannot use to {@code <name>.damaged}, for an operator to look at. */
    Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    /** Publishes a written and fsynced temporary snapshot under its final name. */
    void publish(Path temporary, Path target) throws IOException {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        sync();
    }

    /** Deletes the snapshots and segments older than {@code generation}. */
    void deleteBefore(long generation) throws IOException {
        for (Path old : snapshots().headMap(generation).values()) {
            Files.deleteIfExists(old);
        }
        for (Path old : segments().headMap(generation).values()) {
            Files.deleteIfExists(old);
        }
        sync();
    }

    /** Deletes snapshots a crash left half written. */
    void deleteTemporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path tmp : files.filter(p -> p.getFileName().toString().endsWith(".snap" + TEMPORARY)).toList()) {
                Files.delete(tmp);
            }
        }
    }

    /** Makes created, renamed and deleted entries durable. */
    void sync() throws IOException {
        disk.syncDirectory(dir);
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
}
