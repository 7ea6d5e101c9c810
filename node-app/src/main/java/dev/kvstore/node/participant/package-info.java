/**
 * The node's side of the one-round commit over its replica: votes
 * ({@link dev.kvstore.node.participant.Participant}), decisions ({@link dev.kvstore.node.participant.Decisions}),
 * the outcomes it keeps for {@code kv.participant.outcome-retention}, and the settlement of transactions
 * left in doubt ({@link dev.kvstore.node.participant.InDoubtResolver}, asking through the
 * {@link dev.kvstore.node.participant.DecisionTransport} port). The coordinator's side and the protocol as
 * a whole are in {@code dev.kvstore.coordinator.txn}.
 *
 * <p>Rules (each checked by the model in the coordinator's tests): each transaction's decision is written
 * once. A yes vote is a forced PREPARE carrying the write and its version; a no vote is a forced ABORT, so
 * a vote never changes however often the prepare comes. The transaction commits once both replicas voted
 * yes, so a COMMIT from the coordinator is applied and answered without forcing its record (a background
 * sync makes it durable soon; lost in a crash, the write is in doubt again and is settled as committed).
 * An ABORT is forced before it is answered, also for a transaction never prepared here (a fence: a late
 * prepare votes no). A transaction undecided past {@code kv.participant.decision-timeout} asks the
 * coordinator: its COMMITTED settles it, its ABORTED too unless settling began, PREPARED means wait.
 * Otherwise (UNKNOWN, no answer) the replica forces a RESOLVING mark, after which it refuses the
 * coordinator's ABORT, and asks its peer, giving its prepared version. The peer's answer is final unless it
 * is UNKNOWN: a peer that decided answers its decision; one that prepared and did not decide forces COMMIT
 * at the prepared version; one that does not know the transaction forces ABORT (a fence) only if it cannot
 * have committed it and forgotten the outcome, that is, if it has forgotten no commit at that version or
 * above, and otherwise answers UNKNOWN, which leaves the asker in doubt (an operator settles it). A prepare
 * logged without its version (older logs, copies brought by migration) is never committed on a peer's word.
 *
 * <p>Outcomes are forgotten after {@code kv.participant.outcome-retention}, counted from when the node last
 * started for those it recovered; the highest version of a commit forgotten is kept (snapshots carry it).
 *
 * <p>Invariants: every yes vote, abort and settlement is in the write-ahead log before it is answered; a
 * yes vote holds its key until decided, so a prepared write can always commit; commit and abort are
 * idempotent; a prepare or a read of a held key waits up to {@code kv.participant.held-key-wait} for its
 * decision (usually a COMMIT on its way), then votes no ({@code LOCKED}) or is refused as in doubt, never
 * answered with a value that might be about to change. A PUT of a new value votes no ({@code NO_SPACE})
 * while the disk is below its high watermark.
 *
 * <p>A decided transaction keeps its outcome, but its write is applied only by the storage rule (a key
 * never goes back in time; see {@link dev.kvstore.node.replica}): a write in doubt whose key was meanwhile
 * given a newer value or deletion by a range install is resolved as usual and not applied, and so is one
 * whose range a drop voided ({@link dev.kvstore.node.migration}).
 *
 * <p>The coordinator's prepares, commits and aborts arrive only in batches ({@code POST
 * /internal/txn/batch}, {@link dev.kvstore.node.participant.TxnBatches}; a lone message is a batch of
 * one). A batch is handled on its request's thread so that its log records share one fsync: the
 * COMMITs first (they never wait), then each prepare's first half ({@code Participant.begin}: lock the key,
 * append the record), then their votes ({@code Participant.finish}: the first waits for the fsync). An
 * ABORT and a prepare whose key is held may wait long, so they run on threads of their own meanwhile.
 * Each message is answered on its own: its vote or state, or the {@link dev.kvstore.model.NodeError} of
 * the exception that refused it.
 */
package dev.kvstore.node.participant;
