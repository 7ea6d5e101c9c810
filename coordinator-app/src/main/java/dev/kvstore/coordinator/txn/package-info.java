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
 * <p>Messages reach nodes through {@link dev.kvstore.coordinator.nodeclient.NodeClient}, which throws
 * {@link dev.kvstore.coordinator.nodeclient.NodeUnavailableException} for a node that may have done the
 * work or not (the write is then in doubt there) and
 * {@link dev.kvstore.coordinator.nodeclient.NodeRejectedException} for a refusal.
 */
package dev.kvstore.coordinator.txn;