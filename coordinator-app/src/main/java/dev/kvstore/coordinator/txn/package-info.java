/**
 * The commit protocol's coordinator side: every PUT and DELETE is prepared on both replicas of its key and
 * committed in one forced round.
 *
 * <p>The protocol (the node's half is in {@code dev.kvstore.node.participant}; both are checked by the
 * model in this package's tests, {@code txn.model}):
 * <ol>
 *   <li>The version is chosen before the prepare ({@link dev.kvstore.coordinator.txn.VersionClock}) and
 *       carried in it, so each replica holds the whole write. A replica that has seen the key at or above
 *       it votes no ({@code STALE_VERSION}) and the write is tried again above what it saw.</li>
 *   <li>Each replica forces its PREPARE before it votes yes, and forces an ABORT before it votes no: a
 *       vote, once given, never changes.</li>
 *   <li><b>The commit point is the second durable yes vote.</b> With both in, the decision is recorded in
 *       the {@link dev.kvstore.coordinator.txn.TxnRegistry} and the client is answered "written"; the
 *       COMMITs follow in the background and are re-sent until acknowledged. Replicas need not force them.</li>
 *   <li>Otherwise ABORTED is recorded and sent. The client is told "not written" only once a replica has
 *       durably refused the write: a no vote, or an acknowledged ABORT. Without either the outcome is
 *       {@link dev.kvstore.coordinator.txn.WriteOutcome.Unknown} (a replica that voted yes may be settling
 *       it as committed with its peer).</li>
 *   <li>A replica in doubt asks this registry: PREPARED while votes are awaited, the decision once taken,
 *       UNKNOWN once forgotten or after a restart (the registry is memory only). On UNKNOWN the replicas
 *       settle between themselves, and the rules above make their answer the one the client heard.</li>
 * </ol>
 *
 * <p>Invariants: a COMMIT is never sent unless both replicas voted yes; an ABORT is never sent for a
 * transaction decided COMMITTED; the registry records a decision before any of it is sent; writes to one
 * key are serialized by the caller, and the next write or cache-missing read of a key first waits (bounded)
 * for the COMMITs of the last one, so it finds the key free on its replicas.
 *
 * <p>Messages reach nodes through {@link dev.kvstore.coordinator.nodeclient.NodeClient}, which throws
 * {@link dev.kvstore.coordinator.nodeclient.NodeUnavailableException} for a node that may have done the
 * work or not and {@link dev.kvstore.coordinator.nodeclient.NodeRejectedException} for a refusal.
 */
package dev.kvstore.coordinator.txn;
