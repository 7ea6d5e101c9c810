/**
 * The node's side of two-phase commit over its replica: votes ({@link dev.kvstore.node.participant.Participant}),
 * decisions, the outcomes it keeps for {@code kv.participant.outcome-retention}, and the resolution of
 * transactions left in doubt ({@link dev.kvstore.node.participant.InDoubtResolver}, asking through the
 * {@link dev.kvstore.node.participant.DecisionTransport} port).
 *
 * <p>Invariants: every vote and decision is in the write-ahead log before it is answered; a YES vote holds
 * its key until the transaction is decided, so a prepared write can always commit; commit and abort are
 * idempotent, and an abort that arrives before its prepare makes the late prepare vote no; a transaction
 * left undecided past its timeout is resolved by asking the coordinator, then the peer replica (which
 * presumes abort for a transaction it never prepared), and never by deciding alone; reads of a key held in
 * doubt are refused (409) rather than answered with a value that might be about to change. A PUT of a new
 * value votes no ({@code NO_SPACE}) while the disk is below its high watermark, holding no key.
 *
 * <p>A decided transaction keeps its outcome, but its write is applied only by the storage rule (a key
 * never goes back in time; see {@link dev.kvstore.node.replica}): a write in doubt whose key was meanwhile
 * given a newer value or deletion by a range install is resolved as usual and not applied, and so is one
 * whose range a drop voided ({@link dev.kvstore.node.migration}).
 *
 * <p>The coordinator's prepares, commits and aborts arrive only in batches ({@code POST
 * /internal/txn/batch}, {@link dev.kvstore.node.participant.TxnBatches}; a lone message is a batch of
 * one). The messages of a batch are handled concurrently, so that their log records share fsyncs, and
 * each is answered on its own: its vote or state, or the {@link dev.kvstore.model.NodeError} of the
 * exception that refused it.
 */
package dev.kvstore.node.participant;
