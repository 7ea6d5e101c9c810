package dev.kvstore.node.replica;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.WriteOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the participant writes to the log and to snapshots, and its binary encoding: a tag byte, then
 * the fields. The log holds {@link Prepare}, {@link Commit}, {@link Abort} and {@link Resolving} for two-phase commit,
 * and for data migration {@link Entry} and {@link Tombstone} (a copied value or deletion, applied only if
 * newer than what the table holds at that point of the log), {@link DropRange} and {@link MoveRange}; a
 * snapshot holds {@link Entry} for each table row, {@link Tombstone} for each deletion remembered,
 * {@link Prepare} for each transaction still in doubt, {@link Resolving} for those being settled with a
 * peer, {@link Voided} for those whose write no longer
 * applies, {@link Decided} for each outcome still remembered and {@link Forgotten} for the highest version of
 * a commit no longer remembered. Tags and encodings are never changed,
 * only added, so older logs keep replaying.
 */
public sealed interface LogRecord {

    /** A table row as migration streams and snapshots carry it: a value or a remembered deletion. */
    sealed interface Row extends LogRecord {
        Table table();

        String key();

        long version();

        /** The same row for another table. */
        Row in(Table other);
    }

    record Prepare(String txId, PrepareRequest request) implements LogRecord {
    }

    record Commit(String txId, long version) implements LogRecord {
    }

    record Abort(String txId) implements LogRecord {
    }

    /**
     * The replica, in doubt and not told the outcome by the coordinator, is settling it with its peer: from
     * here on it refuses the coordinator's ABORT (the peer may commit on its word), until decided.
     */
    record Resolving(String txId) implements LogRecord {
    }

    record Entry(Table table, String key, byte[] value, String contentType, long version) implements Row {
        @Override
        public Entry in(Table other) {
            return new Entry(other, key, value, contentType, version);
        }
    }

    /** The key was deleted at {@code version}, at {@code deletedAt}. */
    record Tombstone(Table table, String key, long version, Instant deletedAt) implements Row {
        @Override
        public Tombstone in(Table other) {
            return new Tombstone(other, key, version, deletedAt);
        }
    }

    /** Snapshot only: the undecided transaction's write no longer applies here (its range was dropped). */
    record Voided(String txId) implements LogRecord {
    }

    record Decided(String txId, TxnState state, long version, Instant decidedAt) implements LogRecord {
    }

    /** Snapshot only: every commit at a version above {@code upToVersion} is still remembered (0: none was forgotten). */
    record Forgotten(long upToVersion) implements LogRecord {
    }

    /** Every key of {@code table} whose hash is in the ranges was deleted (at this point of the log). */
    record DropRange(Table table, List<HashRange> ranges) implements LogRecord {
    }

    /** Every key of {@code from} whose hash is in the ranges went to {@code to} unless older than it there. */
    record MoveRange(Table from, Table to, List<HashRange> ranges) implements LogRecord {
    }

    byte PREPARE = 1;
    byte COMMIT = 2;
    byte ABORT = 3;
    /** A prepare with its version and existence condition (what {@link #PREPARE} records lack). */
    byte PREPARE_AT = 4;
    byte RESOLVING = 5;
    byte ENTRY = 10;
    byte DECIDED = 11;
    byte TOMBSTONE = 12;
    byte VOIDED = 13;
    byte FORGOTTEN = 14;
    byte DROP_RANGE = 20;
    byte MOVE_RANGE = 21;

    // Stable codes for the enums a record holds, never their ordinals: renaming or reordering an enum
    // constant must not change what old logs mean. (They equal the ordinals the first format used.)

    private static byte code(Table table) {
        return switch (table) {
            case OWN -> 0;
            case PREV -> 1;
        };
    }

    private static Table table(byte code) {
        return switch (code) {
            case 0 -> Table.OWN;
            case 1 -> Table.PREV;
            default -> throw new IllegalArgumentException("unknown table code " + code);
        };
    }

    private static byte code(WriteOp op) {
        return switch (op) {
            case PUT -> 0;
            case DELETE -> 1;
        };
    }

    private static WriteOp op(byte code) {
        return switch (code) {
            case 0 -> WriteOp.PUT;
            case 1 -> WriteOp.DELETE;
            default -> throw new IllegalArgumentException("unknown write code " + code);
        };
    }

    private static byte code(TxnState state) {
        return switch (state) {
            case PREPARED -> 0;
            case COMMITTED -> 1;
            case ABORTED -> 2;
            case UNKNOWN -> 3;
        };
    }

    private static TxnState state(byte code) {
        return switch (code) {
            case 0 -> TxnState.PREPARED;
            case 1 -> TxnState.COMMITTED;
            case 2 -> TxnState.ABORTED;
            case 3 -> TxnState.UNKNOWN;
            default -> throw new IllegalArgumentException("unknown transaction state code " + code);
        };
    }

    static byte[] encode(LogRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (record) {
                case Prepare p -> {
                    out.writeByte(PREPARE_AT);
                    out.writeUTF(p.txId());
                    PrepareRequest r = p.request();
                    out.writeUTF(r.key());
                    out.writeByte(code(r.table()));
                    out.writeByte(code(r.op()));
                    writeBytes(out, r.value());
                    writeNullable(out, r.contentType());
                    out.writeLong(r.expectedVersion() == null ? -1 : r.expectedVersion());
                    out.writeShort(r.peers().size());
                    for (String peer : r.peers()) {
                        out.writeUTF(peer);
                    }
                    out.writeLong(r.version());
                    out.writeBoolean(r.mustExist());
                }
                case Resolving r -> {
                    out.writeByte(RESOLVING);
                    out.writeUTF(r.txId());
                }
                case Commit c -> {
                    out.writeByte(COMMIT);
                    out.writeUTF(c.txId());
                    out.writeLong(c.version());
                }
                case Abort a -> {
                    out.writeByte(ABORT);
                    out.writeUTF(a.txId());
                }
                case Entry e -> {
                    out.writeByte(ENTRY);
                    out.writeByte(code(e.table()));
                    out.writeUTF(e.key());
                    writeBytes(out, e.value());
                    writeNullable(out, e.contentType());
                    out.writeLong(e.version());
                }
                case Tombstone t -> {
                    out.writeByte(TOMBSTONE);
                    out.writeByte(code(t.table()));
                    out.writeUTF(t.key());
                    out.writeLong(t.version());
                    out.writeLong(t.deletedAt().toEpochMilli());
                }
                case Voided v -> {
                    out.writeByte(VOIDED);
                    out.writeUTF(v.txId());
                }
                case Forgotten f -> {
                    out.writeByte(FORGOTTEN);
                    out.writeLong(f.upToVersion());
                }
                case Decided d -> {
                    out.writeByte(DECIDED);
                    out.writeUTF(d.txId());
                    out.writeByte(code(d.state()));
                    out.writeLong(d.version());
                    out.writeLong(d.decidedAt().toEpochMilli());
                }
                case DropRange d -> {
                    out.writeByte(DROP_RANGE);
                    out.writeByte(code(d.table()));
                    writeRanges(out, d.ranges());
                }
                case MoveRange m -> {
                    out.writeByte(MOVE_RANGE);
                    out.writeByte(code(m.from()));
                    out.writeByte(code(m.to()));
                    writeRanges(out, m.ranges());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a payload that passed its checksum. A payload that still does not decode was written by
     * a different format, which is a bug, not disk damage, so it throws.
     */
    static LogRecord decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte tag = in.readByte();
            return switch (tag) {
                case PREPARE, PREPARE_AT -> {
                    String txId = in.readUTF();
                    String key = in.readUTF();
                    Table table = table(in.readByte());
                    WriteOp op = op(in.readByte());
                    byte[] value = readBytes(in);
                    String contentType = readNullable(in);
                    long expected = in.readLong();
                    int peerCount = in.readShort();
                    List<String> peers = new ArrayList<>(peerCount);
                    for (int i = 0; i < peerCount; i++) {
                        peers.add(in.readUTF());
                    }
                    long version = tag == PREPARE_AT ? in.readLong() : 0;
                    boolean mustExist = tag == PREPARE_AT && in.readBoolean();
                    yield new Prepare(txId, new PrepareRequest(key, table, op, value, contentType,
                            expected < 0 ? null : expected, peers, version, mustExist));
                }
                case RESOLVING -> new Resolving(in.readUTF());
                case COMMIT -> new Commit(in.readUTF(), in.readLong());
                case ABORT -> new Abort(in.readUTF());
                case ENTRY -> new Entry(table(in.readByte()), in.readUTF(), readBytes(in),
                        readNullable(in), in.readLong());
                case DECIDED -> new Decided(in.readUTF(), state(in.readByte()), in.readLong(),
                        Instant.ofEpochMilli(in.readLong()));
                case TOMBSTONE -> new Tombstone(table(in.readByte()), in.readUTF(), in.readLong(),
                        Instant.ofEpochMilli(in.readLong()));
                case VOIDED -> new Voided(in.readUTF());
                case FORGOTTEN -> new Forgotten(in.readLong());
                case DROP_RANGE -> new DropRange(table(in.readByte()), readRanges(in));
                case MOVE_RANGE -> new MoveRange(table(in.readByte()), table(in.readByte()),
                        readRanges(in));
                default -> throw new IllegalStateException("unknown log record tag " + tag);
            };
        } catch (IllegalStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // An unknown enum code, or a count out of range failing inside the JDK: the same undecodable record.
            throw new IllegalStateException("undecodable log record", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return in.readNBytes(length);
    }

    private static void writeRanges(DataOutputStream out, List<HashRange> ranges) throws IOException {
        out.writeInt(ranges.size());
        for (HashRange range : ranges) {
            out.writeLong(range.fromExclusive());
            out.writeLong(range.toInclusive());
        }
    }

    private static List<HashRange> readRanges(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative range count " + count);
        }
        List<HashRange> ranges = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            ranges.add(new HashRange(in.readLong(), in.readLong()));
        }
        return List.copyOf(ranges);
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
