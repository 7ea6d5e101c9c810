/**
 * The node's place in the cluster: its stable id, registration with the coordinator and heartbeats.
 *
 * <p>Invariants: a node's id never changes once chosen (configured, or generated once and kept in
 * the data directory); the node keeps trying to register until the coordinator accepts it, and
 * registers again whenever a heartbeat is answered with "unknown node". Of its coordinators, the node
 * talks to the one that answered last and moves to the next only when that one gives no answer
 * ({@link dev.kvstore.node.cluster.CoordinatorEndpoints}).
 */
package dev.kvstore.node.cluster;
