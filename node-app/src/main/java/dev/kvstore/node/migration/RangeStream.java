package dev.kvstore.node.migration;

import dev.kvstore.model.Keys;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.PrepareValidator;
import dev.kvstore.node.replica.LogRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The range stream format: frames {@code int length | payload}, the payload an encoded {@link LogRecord}
 * (an entry, a tombstone or a write in doubt), then a frame of length 0 that marks the end; a reader that
 * sees the stream end without it knows the stream was cut off.
 */
final class RangeStream {

    private static final int BUFFER_BYTES = 64 * 1024;

    private RangeStream() {
    }

    /** Writes frames to {@code out}; each frame written throws an {@link UncheckedIOException} if it fails. */
    static final class Writer {

        private final DataOutputStream frames;

        Writer(OutputStream out) {
            this.frames = new DataOutputStream(new BufferedOutputStream(out, BUFFER_BYTES));
        }

        void write(LogRecord row) {
            byte[] payload = LogRecord.encode(row);
            try {
                frames.writeInt(payload.length);
                frames.write(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the end marker and flushes. */
        void end() throws IOException {
            frames.writeInt(0);
            frames.flush();
        }
    }

    /** Reads frames from a stream, checking each against the limits and the format. */
    static final class Reader {

        private final DataInputStream in;
        private final int maxRecordBytes;
        private final PrepareValidator validator;

        Reader(InputStream frames, int maxRecordBytes, PrepareValidator validator) {
            this.in = new DataInputStream(new BufferedInputStream(frames, BUFFER_BYTES));
            this.maxRecordBytes = maxRecordBytes;
            this.validator = validator;
        }

        /** The next frame's length; 0 for the end marker. */
        int readFrameLength(long received) {
            try {
                int length = in.readInt();
                if (length < 0 || length > maxRecordBytes) {
                    throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                            + " declares " + length + " bytes; a frame holds 1 to " + maxRecordBytes
                            + " bytes (0 ends the stream)", received, 0, null);
                }
                return length;
            } catch (EOFException e) {
                throw new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream ended after "
                        + received + " entries without its end marker (cut off)", received, 0, e);
            } catch (IOException e) {
                throw unreadable(received, e);
            }
        }

        /** The frame's row for {@code table}, or a write in doubt as its source sent it. */
        LogRecord readEntry(int length, Table table, long received) {
            byte[] payload;
            try {
                payload = in.readNBytes(length);
            } catch (IOException e) {
                throw unreadable(received, e);
            }
            if (payload.length < length) {
                throw new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream was cut off in the middle"
                        + " of frame " + (received + 1) + " (" + payload.length + " of " + length + " bytes) after "
                        + received + " complete entries", received, 0, null);
            }
            LogRecord record;
            try {
                record = LogRecord.decode(payload);
            } catch (RuntimeException e) {
                throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                        + " does not decode as an entry", received, 0, e);
            }
            if (record instanceof LogRecord.Prepare pending) {
                try {
                    validator.validate(pending.txId(), pending.request());
                } catch (RuntimeException e) {
                    throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                            + " is not a valid write in doubt: " + e.getMessage(), received, 0, null);
                }
                return pending;
            }
            if (!(record instanceof LogRecord.Row entry)) {
                throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                        + " holds a " + record.getClass().getSimpleName() + ", not an entry", received, 0, null);
            }
            String problem = Keys.problem(entry.key());
            if (problem == null && entry instanceof LogRecord.Entry value && value.value() == null) {
                problem = "it has no value";
            }
            if (problem == null && entry.version() <= 0) {
                problem = "its version " + entry.version() + " is not positive";
            }
            if (problem != null) {
                throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "frame " + (received + 1)
                        + " is not a valid entry: " + problem, received, 0, null);
            }
            return entry.in(table);
        }

        private static RangeStreamException unreadable(long received, IOException e) {
            return new RangeStreamException(RangeStreamException.Kind.TRUNCATED, "the stream could not be read on after "
                    + received + " entries: " + e, received, 0, e);
        }
    }
}
