package dev.kvstore.node.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One framed record: {@code length (int32) | payload (length bytes) | crc32c (int32)}, big-endian,
 * the checksum covering the length field and the payload. Shared by log segments and snapshots.
 */
final class RecordFormat {

    static final int HEADER_BYTES = 4;
    static final int TRAILER_BYTES = 4;
    static final int OVERHEAD = HEADER_BYTES + TRAILER_BYTES;

    private RecordFormat() {
    }

    static int framedSize(int payloadLength) {
        return payloadLength + OVERHEAD;
    }

    /** Writes the framed record into {@code out}, which must have room for {@link #framedSize}. */
    static void encode(byte[] payload, ByteBuffer out) {
        int start = out.position();
        out.putInt(payload.length);
        out.put(payload);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start, HEADER_BYTES + payload.length);
        out.putInt((int) crc.getValue());
    }

    /** What reading the next record found. */
    sealed interface ReadResult {
        record Record(byte[] payload) implements ReadResult {
        }

        /** A clean end: the stream ended exactly at a record boundary. */
        record End() implements ReadResult {
        }

        /** Damage at the start of the record being read: a torn write or corrupted bytes. */
        record Damaged(String reason) implements ReadResult {
        }
    }

    static ReadResult read(InputStream in, int maxPayload) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        int got = in.readNBytes(header, 0, HEADER_BYTES);
        if (got == 0) {
            return new ReadResult.End();
        }
        if (got < HEADER_BYTES) {
            return new ReadResult.Damaged("torn length field (" + got + " of 4 bytes)");
        }
        int length = ByteBuffer.wrap(header).getInt();
        if (length < 0 || length > maxPayload) {
            return new ReadResult.Damaged("implausible record length " + length);
        }
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
            return new ReadResult.Damaged("torn record: payload shorter than its length " + length);
        }
        byte[] trailer = new byte[TRAILER_BYTES];
        if (in.readNBytes(trailer, 0, TRAILER_BYTES) < TRAILER_BYTES) {
            return new ReadResult.Damaged("torn record: checksum missing");
        }
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(payload);
        if ((int) crc.getValue() != ByteBuffer.wrap(trailer).getInt()) {
            return new ReadResult.Damaged("checksum mismatch");
        }
        return new ReadResult.Record(payload);
    }
}
