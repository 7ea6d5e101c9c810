/**
 * The node's side of two-phase commit and of data migration, over its {@code own} and {@code prev}
 * tables.
 *
 * <p>Invariants: every vote, decision and migration step is in the write-ahead log before it is
 * answered; a YES vote holds its key until the transaction is decided, so a prepared write can
 * always commit; commit and abort are idempotent, and an abort that arrives before its prepare makes
 * the late prepare vote no; a transaction left undecided past its timeout is resolved by asking the
 * coordinator, then the peer replica (which presumes abort for a transaction it never prepared), and
 * never by deciding alone; reads of a key held in doubt are refused (409) rather than answered with a
 * value that might be about to change.
 *
 * <p>A decided transaction keeps its outcome, but its write is applied only by the storage rule (a key
 * never goes back in time; see {@link dev.kvstore.node.storage}): a write in doubt whose key was meanwhile
 * given a newer value or deletion by a range install is resolved as usual and not applied. A drop of a
 * range from a table voids the writes in doubt to it there (the table no longer holds the range, so a
 * late commit must not leave a stray copy); the void is durable through the drop's log record and
 * snapshots. An export carries the writes in doubt in its ranges, and the target holds each in doubt
 * too (asking the source, among the peers, for its outcome), so a copy never misses a write that then
 * commits at its source; a copy bringing a write this node had voided makes it pending here again.
 *
 * <p>A replica whose log failed is rebuilt from its disk alone ({@link
 * dev.kvstore.node.participant.LogRepair}, once the disk has room): its state after the rebuild is the
 * state a restart would recover, so what it answered before the failure stays true (a YES vote was durable
 * before it was given) and what it could not make durable was never answered. A PUT of a new value votes
 * no ({@code NO_SPACE}) while the disk is below its high watermark, holding no key.
 *
 * <p>A batch ({@code POST /internal/txn/batch}, {@link dev.kvstore.node.participant.TxnBatches}) is no
 * new protocol: each of its messages is handled exactly as its single endpoint would handle it and
 * answered with that endpoint's status, only concurrently, so that their log records share fsyncs.
 */
package dev.kvstore.node.participant;
