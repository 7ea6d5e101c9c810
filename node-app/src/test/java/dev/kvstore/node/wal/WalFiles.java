package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** File-level helpers: names, payloads, and the damage a crash or a bad disk does to bytes. */
final class WalFiles {

    private WalFiles() {
    }

    static Path segment(Path dir, long generation) {
        return dir.resolve("wal-%020d.log".formatted(generation));
    }

    static Path snapshot(Path dir, long generation) {
        return dir.resolve("snapshot-%020d.snap".formatted(generation));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Payloads of varying length, so that offsets depend on every record before them. */
    static List<String> payloads(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "-" + "x".repeat(i % 17)).toList();
    }

    /** Where record {@code index} of {@code payloads}, written back to back after the segment's header, starts. */
    static long offsetOf(List<String> payloads, int index) {
        long offset = SegmentHeader.SIZE;
        for (int i = 0; i < index; i++) {
            offset += RecordFormat.framedSize(bytes(payloads.get(i)).length);
        }
        return offset;
    }

    static void chopEnd(Path file, int bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) != 1) {
                throw new IOException("no byte at " + position + " in " + file);
            }
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, position);
        }
    }

    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
