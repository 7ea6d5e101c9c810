/**
 * Snapshots of the replica ({@link dev.kvstore.node.snapshot.Snapshots}), written through the log's
 * {@link dev.kvstore.node.wal.SnapshotFile} so older log segments can go.
 *
 * <p>Invariants: a snapshot captures the state at a log segment boundary with every other step excluded for
 * that moment only, so replaying it and the segments after it rebuilds exactly the live state; deletions past
 * their retention are forgotten only then, for the same reason. A snapshot is never written while the replica
 * is rebuilt from its log, nor two at once.
 */
package dev.kvstore.node.snapshot;
