/**
 * The node's two tables, {@code own} and {@code prev}: key to value bytes, content type and version,
 * and the internal HTTP API over them: reads ({@link dev.kvstore.node.storage.TableController}) and
 * data migration between nodes ({@link dev.kvstore.node.migration.RangeController}).
 *
 * <p>Invariants: the tables hold only committed data (the participant applies a write after its
 * COMMIT record is durable, and a migrated entry, move or drop after its log record is durable); they
 * are rebuilt on start from the snapshot and the write-ahead log and are never written to disk directly.
 *
 * <p><b>A key never goes back in time</b>, whatever path a write arrives by (a live commit, a commit
 * resolved in doubt after a restart, a resent decision, log replay, a range install, a move): it applies
 * only if its version is greater than the key's floor in that table, the version of the value held or,
 * when none is, of the deletion remembered ({@link dev.kvstore.node.replica.Tables.Tombstone}).
 * {@link dev.kvstore.node.replica.Tables#putIfNewer} and {@link dev.kvstore.node.replica.Tables#deleteIfNewer}
 * are the only ways to write, so the rule lives in one place. Deletions are remembered for
 * {@code kv.participant.tombstone-retention} and forgotten at the first snapshot after it, so replay
 * sees the same tombstones the live steps saw.
 */
package dev.kvstore.node.storage;
