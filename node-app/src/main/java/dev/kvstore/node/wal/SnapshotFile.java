package dev.kvstore.node.wal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The snapshot file format: framed records ({@link RecordFormat}), each an entry tagged {@value #ENTRY},
 * then one end marker tagged {@value #END} holding the entry count. A snapshot without its end marker,
 * or whose count disagrees, is unreadable as a whole: it was cut short or damaged.
 */
final class SnapshotFile {

    static final byte ENTRY = 0;
    static final byte END = 1;
    private static final int BUFFER_BYTES = 64 * 1024;

    /** What reading a snapshot found: its entries, and why it is unreadable if it is. */
    record Read(long entries, Optional<String> problem) {
    }

    private SnapshotFile() {
    }

    /**
     * Writes the snapshot of {@code generation} atomically: to a temporary file, fsynced, then renamed
     * into place; a failed write deletes the temporary file (a full disk is the likely cause). Returns the
     * number of entries.
     */
    static long write(WalDirectory dir, long generation, Iterator<byte[]> entries) throws IOException {
        Path target = dir.snapshot(generation);
        Path tmp = dir.temporarySnapshot(generation);
        long count = 0;
        try (FileChannel channel = dir.disk().open(tmp, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            while (entries.hasNext()) {
                buffer = writeFramed(channel, buffer, tagged(ENTRY, entries.next()));
                count++;
            }
            buffer = writeFramed(channel, buffer, tagged(END, ByteBuffer.allocate(8).putLong(count).array()));
            drain(channel, buffer);
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        dir.publish(tmp, target);
        return count;
    }

    /**
     * Reads a snapshot through to its end marker, handing each entry to {@code handler} (null: only
     * validate).
     */
    static Read read(Path file, Disk disk, int maxRecordBytes, RecoveryHandler handler) throws IOException {
        long entries = 0;
        try (FileChannel channel = disk.open(file, Set.of(StandardOpenOption.READ));
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)) {
            while (true) {
                RecordFormat.ReadResult result = RecordFormat.read(in, maxRecordBytes + 1);
                if (!(result instanceof RecordFormat.ReadResult.Record(byte[] payload)) || payload.length == 0) {
                    String why = result instanceof RecordFormat.ReadResult.Damaged d ? d.reason() : "no end marker";
                    return new Read(entries, Optional.of(why));
                }
                byte[] body = Arrays.copyOfRange(payload, 1, payload.length);
                if (payload[0] == END) {
                    long declared = body.length == 8 ? ByteBuffer.wrap(body).getLong() : -1;
                    if (declared != entries) {
                        return new Read(entries, Optional.of("end marker counts " + declared + " entries, found "
                                + entries));
                    }
                    return new Read(entries, Optional.empty());
                }
                if (payload[0] != ENTRY) {
                    return new Read(entries, Optional.of("unknown entry tag " + payload[0]));
                }
                if (handler != null) {
                    handler.snapshotEntry(body);
                }
                entries++;
            }
        }
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
}
