/**
 * The coordinator's transport to nodes: the one node protocol. Every two-phase-commit message and
 * every read travels in a per-node batch ({@link dev.kvstore.coordinator.nodeclient.Batcher}) over HTTP
 * as CBOR ({@link dev.kvstore.coordinator.nodeclient.HttpNodeTransport}, straight on the pooled Apache
 * client); a lone message is a batch of one, and no other path sends them. What every call to a node
 * carries and reports (the leader's term, the node's id, the signature, a later term, a refused
 * connection) is {@link dev.kvstore.coordinator.nodeclient.NodeCallHooks}, given by the app once, for
 * these batches and its RestClient calls to nodes alike.
 *
 * <p>Invariants: a batch changes how messages travel, never what they mean: each caller gets exactly its
 * own message's reply, or the failure of the batch it travelled in; no caller waits for a batch that is
 * not on the wire, and a message that finds its node idle leaves at once (on its caller's thread, or on a
 * sender of its own when the caller does not wait for it), except a lazy one (a COMMIT), which waits at
 * most its linger for another message's batch to ride. A
 * node's {@link dev.kvstore.model.NodeError}, whether one message's or a whole response's, is read in one
 * place ({@link dev.kvstore.coordinator.nodeclient.NodeFailures}): what another replica or a later try may
 * get past is {@link dev.kvstore.coordinator.nodeclient.NodeUnavailableException}, the rest
 * {@link dev.kvstore.coordinator.nodeclient.NodeRejectedException}. A batch sent again after a reset
 * connection is safe because every message is idempotent on the node.
 */
package dev.kvstore.coordinator.nodeclient;
