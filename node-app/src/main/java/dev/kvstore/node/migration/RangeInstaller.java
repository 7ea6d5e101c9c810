package dev.kvstore.node.migration;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.PrepareValidator;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Prepared;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Installs a range stream into a table: the receiving end of a copy, in batches that share fsyncs. */
final class RangeInstaller {

    /** Under the migration's category, like every other migration step. */
    private static final Logger log = LoggerFactory.getLogger(RangeMigration.class);
    /** Entries per install batch: appended together, made durable by one (group-commit) fsync. */
    static final int INSTALL_BATCH_ENTRIES = 1000;
    /** Also end an install batch at this many payload bytes, so large values do not pile up in memory. */
    static final long INSTALL_BATCH_BYTES = 4L * 1024 * 1024;

    private final Replica replica;
    private final WriteAheadLog wal;
    private final PrepareValidator validator;
    private final int maxRecordBytes;
    private final String nodeId;

    RangeInstaller(Replica replica, WriteAheadLog wal, PrepareValidator validator, int maxRecordBytes) {
        this.replica = replica;
        this.wal = wal;
        this.validator = validator;
        this.maxRecordBytes = maxRecordBytes;
        this.nodeId = replica.nodeId();
    }

    /**
     * Reads a stream written by {@link RangeMigration#exportRange} and installs each entry or deletion into {@code table}
     * only if its version is greater than the key's floor there (see {@link Tables}), so repeating a copy,
     * or a copy racing a newer write, never goes back in time. Entries are logged and applied in batches of
     * {@value #INSTALL_BATCH_ENTRIES} (one group-commit fsync each); everything installed is durable
     * when this returns or throws.
     *
     * <p>While a batch is logged and applied its keys are held like a prepare holds them (a prepare
     * meanwhile votes LOCKED), so the log and the tables see the same order. A key held by a
     * transaction in doubt is installed in a step that briefly excludes all other steps; the pending
     * write stays and still applies at commit.
     *
     * @return how many keys were installed (entries already present at an equal or newer version are not counted)
     * @throws RangeStreamException when the stream ends before its end marker, cannot be read on, or
     *                              holds something else than entries; what came before is installed
     */
    RangeResult install(Table table, InputStream frames) {
        RangeMigration.requireTable(table, "table");
        if (frames == null) {
            throw new InvalidRangeException("a stream of entries is required");
        }
        RangeStream.Reader in = new RangeStream.Reader(frames, maxRecordBytes, validator);
        Map<String, LogRecord.Row> batch = new LinkedHashMap<>();
        List<LogRecord.Prepare> inDoubt = new ArrayList<>();
        long batchBytes = 0;
        long received = 0;
        long installed = 0;
        while (true) {
            LogRecord frame;
            int length;
            try {
                length = in.readFrameLength(received);
                if (length == 0) {
                    break;
                }
                frame = in.readEntry(length, table, received);
            } catch (RangeStreamException problem) {
                installed += installBatch(table, batch);
                log.warn("nodeId={} install into {} stopped after {} entries ({} keys installed): {}", nodeId, table,
                        received, installed, problem.getMessage());
                throw new RangeStreamException(problem.kind(), problem.getMessage() + "; " + installed
                        + " keys installed before it stay installed", received, installed, problem.getCause());
            }
            received++;
            if (frame instanceof LogRecord.Prepare pending) {
                inDoubt.add(pending);
                continue;
            }
            LogRecord.Row entry = (LogRecord.Row) frame;
            LogRecord.Row earlier = batch.get(entry.key());
            if (earlier == null || earlier.version() < entry.version()) {
                batch.put(entry.key(), entry);
            }
            batchBytes += length;
            if (batch.size() >= INSTALL_BATCH_ENTRIES || batchBytes >= INSTALL_BATCH_BYTES) {
                installed += installBatch(table, batch);
                batchBytes = 0;
            }
        }
        installed += installBatch(table, batch);
        adoptInDoubt(table, inDoubt);
        return new RangeResult(installed);
    }

    /**
     * Takes on the writes in doubt a copy brought: each holds its key here as at the source, and applies
     * at commit (if newer, as always), which this node learns by asking the coordinator and the peers,
     * the source among them. One this node already knows undecided (voided when the range left this table)
     * holds the range's write again; one it already decided is left alone. Logged as PREPARE records, so
     * replay does the same at the same point.
     *
     * @throws RangeStreamException when a different transaction holds one of the keys here: the copy is
     *                              repeated once that one is resolved
     */
    private void adoptInDoubt(Table table, List<LogRecord.Prepare> inDoubt) {
        if (inDoubt.isEmpty()) {
            return;
        }
        List<String> adopted = new ArrayList<>();
        replica.exclusive().lock();
        try {
            long seq = 0;
            for (LogRecord.Prepare frame : inDoubt) {
                String txId = frame.txId();
                PrepareRequest r = frame.request();
                if (replica.outcome(txId) != null) {
                    continue;
                }
                String holder = replica.keyHolder(r.key());
                if (holder != null && !holder.equals(txId)) {
                    throw new RangeStreamException(RangeStreamException.Kind.MALFORMED, "key " + r.key()
                            + " is held here by txId=" + holder + " while the source holds it for txId=" + txId
                            + "; copy again once it is resolved", 0, 0, null);
                }
                Prepared known = replica.pending(txId);
                List<String> peers = new ArrayList<>(known == null ? List.of() : known.request().peers());
                r.peers().stream().filter(p -> !p.equals(nodeId) && !peers.contains(p)).forEach(peers::add);
                LogRecord.Prepare record = new LogRecord.Prepare(txId, new PrepareRequest(r.key(), table, r.op(),
                        r.value(), r.contentType(), r.expectedVersion(), peers));
                seq = wal.append(LogRecord.encode(record));
                replica.apply(record);
                adopted.add("txId=" + txId + ":" + r.key());
            }
            if (seq > 0) {
                wal.awaitDurable(seq);
            }
        } finally {
            replica.exclusive().unlock();
        }
        if (!adopted.isEmpty()) {
            log.info("nodeId={} took on writes in doubt at the copy's source into {}: {}", nodeId, table,
                    RangeMigration.abbreviate(adopted));
        }
    }

    /**
     * Logs, makes durable and applies the entries of the batch that are newer than the table's, then
     * clears it. Keys no transaction holds are held by the installer meanwhile, under the shared state
     * lock like any commit; keys held by a transaction in doubt go through {@link #installHeld}.
     */
    private long installBatch(Table table, Map<String, LogRecord.Row> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<LogRecord.Row> held = new ArrayList<>();
        List<LogRecord.Row> locked = new ArrayList<>(batch.size());
        long installed;
        replica.shared().lock();
        try {
            try {
                for (LogRecord.Row entry : batch.values()) {
                    (replica.lockKey(entry.key(), Replica.INSTALLER) == null ? locked : held).add(entry);
                }
                installed = logAndApplyNewer(table, locked);
            } finally {
                locked.forEach(entry -> replica.unlockKey(entry.key(), Replica.INSTALLER));
            }
        } finally {
            replica.shared().unlock();
        }
        batch.clear();
        return installed + (held.isEmpty() ? 0 : installHeld(table, held));
    }

    /**
     * Logs each entry newer than the table's floor for its key, waits for one fsync for all of them, then
     * applies them; the caller holds the state lock that keeps their keys from being decided meanwhile.
     */
    private long logAndApplyNewer(Table table, List<LogRecord.Row> entries) {
        Tables tables = replica.tables();
        List<LogRecord.Row> newer = new ArrayList<>();
        long seq = 0;
        for (LogRecord.Row entry : entries) {
            if (entry.version() > tables.floor(table, entry.key())) {
                seq = wal.append(LogRecord.encode(entry));
                newer.add(entry);
            }
        }
        if (seq > 0) {
            wal.awaitDurable(seq);
        }
        newer.forEach(replica::apply);
        return newer.size();
    }

    /**
     * Installs entries whose keys a transaction holds (in doubt, or another install) while every other
     * step is excluded, so nothing can decide them between the log record and the table.
     */
    private long installHeld(Table table, List<LogRecord.Row> entries) {
        List<String> inDoubt = new ArrayList<>();
        long installed;
        replica.exclusive().lock();
        try {
            for (LogRecord.Row entry : entries) {
                // No install holds a key now (they let go before the shared lock), so a holder is a transaction.
                String holder = replica.keyHolder(entry.key());
                if (holder != null) {
                    inDoubt.add("txId=" + holder + ":" + entry.key());
                }
            }
            installed = logAndApplyNewer(table, entries);
        } finally {
            replica.exclusive().unlock();
        }
        if (!inDoubt.isEmpty()) {
            log.info("nodeId={} installed into {} under keys held by transactions in doubt (their pending writes"
                    + " still apply at commit if newer): {}", nodeId, table, RangeMigration.abbreviate(inDoubt));
        }
        return installed;
    }
}
