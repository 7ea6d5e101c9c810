/**
 * The internal HTTP API that reads the replica's tables ({@link dev.kvstore.node.storage.TableController}),
 * and the table metrics.
 *
 * <p>Invariants: only committed data is served; a key held by a transaction in doubt, or any key while the
 * replica is rebuilt from its log, is refused (409: read the other replica) rather than answered with a value
 * that may be stale.
 */
package dev.kvstore.node.storage;
