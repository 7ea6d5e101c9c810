package dev.kvstore.node.snapshot;

import dev.kvstore.model.Table;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Snapshots of a replica, taken when the log has grown enough since the last one. */
public final class Snapshots {

    private final Replica replica;
    private final WriteAheadLog wal;
    private final Clock clock;
    private final Duration tombstoneRetention;

    /** @param tombstoneRetention deletions older than this are forgotten at the snapshot */
    public Snapshots(Replica replica, WriteAheadLog wal, Clock clock, Duration tombstoneRetention) {
        this.replica = replica;
        this.wal = wal;
        this.clock = clock;
        this.tombstoneRetention = tombstoneRetention;
    }

    /** Takes a snapshot when enough has been logged since the last one. */
    public boolean snapshotIfDue() throws IOException {
        if (!wal.snapshotDue()) {
            return false;
        }
        snapshot();
        return true;
    }

    /**
     * Captures the state at a segment boundary (excluding every other step for that moment only),
     * then writes it while work goes on; older log segments become unnecessary. Does nothing while
     * another snapshot is written or the replica is rebuilt.
     */
    public void snapshot() throws IOException {
        if (!replica.startLogMaintenance()) {
            return;
        }
        try {
            long generation;
            Tables tables = replica.tables();
            CapturedState state = new CapturedState(tables.size(Table.OWN) + tables.size(Table.PREV));
            replica.exclusive().lock();
            try {
                generation = wal.rollSegment();
                // Pruned only here, with every step excluded: the state captured is the state the log
                // goes on from, so replay sees the same tombstones the live steps saw.
                tables.pruneTombstones(clock.instant().minus(tombstoneRetention));
                for (Table table : Table.values()) {
                    tables.forEach(table, state::addEntry);
                    state.endTable(table);
                    tables.forEachTombstone(table, (key, deleted) -> state.others.add(new LogRecord.Tombstone(
                            table, key, deleted.version(), Instant.ofEpochMilli(deleted.deletedAtMillis()))));
                }
                replica.pendingWrites().forEach(p -> {
                    state.others.add(new LogRecord.Prepare(p.txId(), p.request()));
                    if (p.resolving()) {
                        state.others.add(new LogRecord.Resolving(p.txId()));
                    }
                    if (p.voided()) {
                        state.others.add(new LogRecord.Voided(p.txId()));
                    }
                });
                state.outcomes = replica.captureOutcomes();
                if (replica.forgottenUpTo() > 0) {
                    state.others.add(new LogRecord.Forgotten(replica.forgottenUpTo()));
                }
            } finally {
                replica.exclusive().unlock();
            }
            wal.writeSnapshot(generation, state.records());
        } finally {
            replica.endLogMaintenance();
        }
    }
}
