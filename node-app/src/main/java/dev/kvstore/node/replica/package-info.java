/**
 * The node's replicated state ({@link dev.kvstore.node.replica.Replica}): its two tables, {@code own} and
 * {@code prev} (key to value bytes, content type and version), the transactions prepared here and not
 * decided, the outcomes remembered, and the key locks; and the record format of the write-ahead log and
 * snapshots ({@link dev.kvstore.node.replica.LogRecord}).
 *
 * <p>Invariants: the state changes only through {@link dev.kvstore.node.replica.Replica#apply}, live and in
 * replay alike, so what a restart rebuilds is what the live steps built; the tables hold only committed data
 * (a write applies after its COMMIT record is durable, a migrated entry, move or drop after its log record
 * is durable); they are rebuilt on start from the snapshot and the write-ahead log and are never written to
 * disk directly.
 *
 * <p>Locking: a prepared transaction holds its key until decided, and an install holds a key while it writes
 * it ({@link dev.kvstore.node.replica.Replica#INSTALLER}). A state-wide read/write lock lets any number of
 * steps log concurrently (sharing fsyncs) while a snapshot briefly excludes them all, so the state it captures
 * matches the log segment it starts; drops, moves and installs under a held key exclude every other step too.
 *
 * <p><b>A key never goes back in time</b>, whatever path a write arrives by (a live commit, a commit
 * resolved in doubt after a restart, a resent decision, log replay, a range install, a move): it applies
 * only if its version is greater than the key's floor in that table, the version of the value held or,
 * when none is, of the deletion remembered ({@link dev.kvstore.node.replica.Tables.Tombstone}).
 * {@link dev.kvstore.node.replica.Tables#putIfNewer} and {@link dev.kvstore.node.replica.Tables#deleteIfNewer}
 * are the only ways to write, so the rule lives in one place. Deletions are remembered for
 * {@code kv.participant.tombstone-retention} and forgotten at the first snapshot after it, so replay
 * sees the same tombstones the live steps saw.
 *
 * <p>Outcomes ({@link dev.kvstore.node.replica.OutcomeTable}) are found by their transaction id's exact text
 * until pruned, and pruned only once decided before the cutoff: decision times are kept to the millisecond,
 * rounded up, so an outcome is forgotten late, never early.
 *
 * <p>A replica whose log failed is rebuilt from its disk alone ({@link dev.kvstore.node.replica.LogRepair},
 * once the disk has room): its state after the rebuild is the state a restart would recover, so what it
 * answered before the failure stays true (a YES vote was durable before it was given) and what it could not
 * make durable was never answered. While it is rebuilt, reads answer as if every key were held.
 */
package dev.kvstore.node.replica;
