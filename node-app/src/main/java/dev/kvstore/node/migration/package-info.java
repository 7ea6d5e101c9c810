/**
 * Data migration on the node's side: ranges of the ring copied node to node (the target pulls the source's
 * export through the {@link dev.kvstore.node.migration.PeerRangeSource} port), moved between the node's two
 * tables and dropped where no longer needed ({@link dev.kvstore.node.migration.RangeMigration}), driven by the
 * coordinator over {@link dev.kvstore.node.migration.RangeController}; and the range stream format.
 *
 * <p>Invariants: every step goes through the same write-ahead log as two-phase commit and is in it before it
 * is answered; every step is idempotent, so the coordinator may repeat any of them after a failure; an
 * installed entry or deletion applies only if newer than what the table holds (a key never goes back in
 * time; see {@link dev.kvstore.node.replica}). A drop or a move is one log record, replayed against the tables
 * as they are at that point of the log.
 *
 * <p>Writes in doubt: a drop of a range from a table voids the writes in doubt to it there (the table no
 * longer holds the range, so a late commit must not leave a stray copy); the void is durable through the
 * drop's log record and snapshots. A move takes them along to the table their keys moved to. An export
 * carries the writes in doubt in its ranges, and the target holds each in doubt too (asking the source,
 * among the peers, for its outcome), so a copy never misses a write that then commits at its source; a copy
 * bringing a write this node had voided makes it pending here again.
 */
package dev.kvstore.node.migration;
