package dev.kvstore.node.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.PrepareValidator;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Prepared;
import dev.kvstore.node.replica.RangeSelector;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data migration on one node (ranges of the ring moving between nodes when membership changes), through
 * the same log as two-phase commit: {@link #exportRange} streams a table's entries in some ranges,
 * {@link #install} logs and applies each received entry that is newer than what the table holds,
 * {@link #dropRange} and {@link #moveRange} log one record each and replay it against the tables as they
 * are at that point of the log. Every one of them is idempotent. Keys held by a transaction in doubt: the
 * transaction always keeps its outcome; an install updates the committed entry (if newer) and the pending
 * write still applies at commit; a drop deletes the committed entry and leaves the pending write, which
 * recreates the key if it commits (a repeated drop removes it); a move takes the pending write along, so
 * it applies to the table the key moved to.
 */
public final class RangeMigration {

    private static final Logger log = LoggerFactory.getLogger(RangeMigration.class);

    private final Replica replica;
    private final WriteAheadLog wal;
    private final RangeInstaller installer;
    private final int maxRecordBytes;
    private final String nodeId;

    /**
     * @param validator      checks each write in doubt a copy brings, as a prepare here would be checked
     * @param maxRecordBytes the log's record limit, which bounds a frame and a drop's or move's ranges too
     */
    public RangeMigration(Replica replica, WriteAheadLog wal, PrepareValidator validator, int maxRecordBytes) {
        this.replica = replica;
        this.wal = wal;
        this.installer = new RangeInstaller(replica, wal, validator, maxRecordBytes);
        this.maxRecordBytes = maxRecordBytes;
        this.nodeId = replica.nodeId();
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Writes every committed entry of {@code table} whose key's hash is in any of the ranges to
     * {@code out} in the {@link RangeStream} format, each as an encoded {@link LogRecord.Entry},
     * then every deletion it remembers there as a {@link LogRecord.Tombstone}, then every write in doubt
     * to the table in the ranges as a {@link LogRecord.Prepare} naming this node among its peers, then the
     * end marker. The iteration is weakly consistent: writes applied meanwhile may or may not be in it
     * (the coordinator keeps writes away from a range while it is copied). Nothing is written when the
     * arguments are invalid.
     *
     * @return how many entries were written (tombstones and writes in doubt not counted)
     */
    public RangeResult exportRange(Table table, List<HashRange> ranges, OutputStream out) throws IOException {
        requireTable(table, "table");
        RangeSelector selector = RangeSelector.of(ranges);
        RangeStream.Writer frames = new RangeStream.Writer(out);
        Tables tables = replica.tables();
        long[] exported = {0};
        if (!selector.isEmpty()) {
            try {
                tables.forEach(table, (key, stored) -> {
                    if (selector.containsKey(key)) {
                        frames.write(new LogRecord.Entry(table, key, stored.value(), stored.contentType(),
                                stored.version()));
                        exported[0]++;
                    }
                });
                tables.forEachTombstone(table, (key, deleted) -> {
                    if (selector.containsKey(key)) {
                        frames.write(new LogRecord.Tombstone(table, key, deleted.version(),
                                Instant.ofEpochMilli(deleted.deletedAtMillis())));
                    }
                });
                // A copy taken now would miss these writes if they commit here later: they travel along and
                // stay in doubt at the target too, which asks this node (among their peers) for the outcome.
                for (Prepared entry : replica.pendingWrites()) {
                    PrepareRequest r = entry.request();
                    if (entry.outcome() == null && !entry.voided() && r.table() == table && selector.containsKey(r.key())) {
                        List<String> peers = new ArrayList<>(r.peers());
                        peers.add(nodeId);
                        frames.write(new LogRecord.Prepare(entry.txId(), new PrepareRequest(r.key(), table, r.op(),
                                r.value(), r.contentType(), r.expectedVersion(), peers)));
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        frames.end();
        return new RangeResult(exported[0]);
    }

    /**
     * Reads a stream written by {@link #exportRange} and installs each entry or deletion into {@code table}
     * if newer than what the table holds: see {@link RangeInstaller#install}.
     */
    public RangeResult install(Table table, InputStream frames) {
        return installer.install(table, frames);
    }

    /**
     * Deletes every key of {@code table} whose hash is in the ranges, durably: one DropRange record,
     * replayed against the table as it is at that point of the log. Idempotent; when nothing is in the
     * ranges nothing is logged. The table no longer holds those ranges, so a transaction in doubt with a
     * write to them keeps its key and will reach its outcome as usual, but its write is void here: it
     * does not apply even if it commits (the current holders have it, or get it from their copies).
     * Deletions remembered there stay remembered.
     *
     * @return how many keys were deleted
     */
    public RangeResult dropRange(Table table, List<HashRange> ranges) {
        requireTable(table, "table");
        RangeSelector selector = RangeSelector.of(ranges);
        LogRecord.DropRange drop = new LogRecord.DropRange(table, List.copyOf(ranges));
        byte[] record = encodeRangeRecord(drop);
        long dropped;
        List<String> pending;
        replica.exclusive().lock();
        try {
            pending = pendingWrites(table, selector);
            if (pending.isEmpty() && countIn(table, selector) == 0) {
                return new RangeResult(0);
            }
            wal.awaitDurable(wal.append(record));
            dropped = replica.apply(drop);
        } finally {
            replica.exclusive().unlock();
        }
        if (!pending.isEmpty()) {
            log.info("nodeId={} dropped a range of {} holding writes in doubt; they are void here: {}",
                    nodeId, table, abbreviate(pending));
        }
        return new RangeResult(dropped);
    }

    /**
     * Moves every entry of {@code from} whose key's hash is in the ranges to {@code to}; where {@code to}
     * already holds the key at an equal or newer version the entry is only removed from {@code from}.
     * Durable as one MoveRange record, replayed against the tables as they are at that point of the
     * log. Writes in doubt on {@code from} in the ranges move with their keys: they apply to {@code to}
     * at commit. Idempotent; when nothing is in the ranges nothing is logged.
     *
     * @return how many keys left {@code from}
     */
    public RangeResult moveRange(Table from, Table to, List<HashRange> ranges) {
        requireTable(from, "from");
        requireTable(to, "to");
        if (from == to) {
            throw new InvalidRangeException("from and to are both " + from + "; a move goes from OWN to PREV or back");
        }
        RangeSelector selector = RangeSelector.of(ranges);
        LogRecord.MoveRange move = new LogRecord.MoveRange(from, to, List.copyOf(ranges));
        byte[] record = encodeRangeRecord(move);
        long moved;
        List<String> pending;
        replica.exclusive().lock();
        try {
            pending = pendingWrites(from, selector);
            if (pending.isEmpty() && countIn(from, selector) == 0 && !remembersDeletionsIn(from, selector)) {
                return new RangeResult(0);
            }
            wal.awaitDurable(wal.append(record));
            moved = replica.apply(move);
        } finally {
            replica.exclusive().unlock();
        }
        if (!pending.isEmpty()) {
            log.info("nodeId={} moved writes in doubt from {} to {} with their keys: {}", nodeId, from, to, pending);
        }
        return new RangeResult(moved);
    }

    /** How many keys of {@code table} are in the ranges now. */
    public RangeResult count(Table table, List<HashRange> ranges) {
        requireTable(table, "table");
        return new RangeResult(countIn(table, RangeSelector.of(ranges)));
    }

    private long countIn(Table table, RangeSelector selector) {
        if (selector.isEmpty()) {
            return 0;
        }
        long[] count = {0};
        replica.tables().forEach(table, (key, stored) -> {
            if (selector.containsKey(key)) {
                count[0]++;
            }
        });
        return count[0];
    }

    private boolean remembersDeletionsIn(Table table, RangeSelector selector) {
        boolean[] found = {false};
        if (!selector.isEmpty()) {
            replica.tables().forEachTombstone(table, (key, deleted) -> found[0] |= selector.containsKey(key));
        }
        return found[0];
    }

    /** Transactions in doubt whose write (not void) goes to {@code table} in the ranges, as "txId:key". */
    private List<String> pendingWrites(Table table, RangeSelector selector) {
        List<String> pending = new ArrayList<>();
        for (Prepared entry : replica.pendingWrites()) {
            PrepareRequest request = entry.request();
            if (entry.outcome() == null && !entry.voided() && request.table() == table
                    && selector.containsKey(request.key())) {
                pending.add("txId=" + entry.txId() + ":" + request.key());
            }
        }
        return pending;
    }

    private byte[] encodeRangeRecord(LogRecord record) {
        byte[] encoded = LogRecord.encode(record);
        if (encoded.length > maxRecordBytes) {
            throw new InvalidRangeException("the ranges take " + encoded.length + " bytes in the log; the limit is "
                    + maxRecordBytes + "; send fewer ranges per request");
        }
        return encoded;
    }

    static void requireTable(Table table, String name) {
        if (table == null) {
            throw new InvalidRangeException(name + " is required: OWN or PREV");
        }
    }

    static String abbreviate(List<String> keys) {
        return keys.size() <= 10 ? keys.toString() : keys.subList(0, 10) + " and " + (keys.size() - 10) + " more";
    }
}
