/**
 * The two-phase commit driver: every PUT and DELETE prepares on both replicas of its key, and commits
 * only if both vote yes.
 *
 * <p>Invariants: the decision is recorded in the {@link dev.kvstore.coordinator.txn.TxnRegistry}
 * before any commit or abort is sent, so a participant in doubt asking the coordinator always gets
 * the decision that was taken; a commit is never sent unless every replica voted yes; a write that
 * could not prepare everywhere is aborted everywhere and reported as unavailable, with nothing
 * committed; a decided commit that a replica has not acknowledged yet is retried until it is.
 * Versions come from {@link dev.kvstore.coordinator.txn.VersionClock}, above every replica's vote,
 * so they increase per key across coordinator restarts without being stored here.
 *
 * <p>Messages to nodes travel in per-node batches ({@link dev.kvstore.coordinator.txn.Batcher}): a
 * batch changes how messages travel, never what they mean. Each caller gets exactly the reply its
 * own message would have had on the single endpoint, or the failure of the batch it travelled in
 * (which, like a failed single call, is unavailability); no caller waits for a batch that is not on
 * the wire, and a message that finds its node idle leaves at once.
 */
package dev.kvstore.coordinator.txn;
