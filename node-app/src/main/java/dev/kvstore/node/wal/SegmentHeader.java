package dev.kvstore.node.wal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a log segment starts with: the magic {@code KVWALSEG} and the format version (int32), as Ratis's
 * segments start with theirs, so a file that is not a segment, or one written by a newer format, is told
 * apart from damage. Segments written before the header existed start with their first record; they are
 * read as format 0.
 */
final class SegmentHeader {

    static final byte[] MAGIC = "KVWALSEG".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SIZE = MAGIC.length + Integer.BYTES;

    private SegmentHeader() {
    }

    static ByteBuffer encode() {
        return ByteBuffer.allocate(SIZE).put(MAGIC).putInt(VERSION).flip();
    }

    /**
     * Reads the header at the start of {@code in} (which must support mark) and returns how many bytes it
     * took: {@link #SIZE}, or 0 for a segment from before headers (left unread).
     *
     * @throws IOException for a segment of a format version this code does not know
     */
    static int read(BufferedInputStream in) throws IOException {
        in.mark(SIZE);
        byte[] header = in.readNBytes(SIZE);
        if (header.length < SIZE || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            in.reset();
            return 0;
        }
        int version = ByteBuffer.wrap(header, MAGIC.length, Integer.BYTES).getInt();
        if (version != VERSION) {
            throw new IOException("log segment format version " + version + " is not known to this node (it reads "
                    + VERSION + "); was the segment written by a newer version?");
        }
        return SIZE;
    }
}
