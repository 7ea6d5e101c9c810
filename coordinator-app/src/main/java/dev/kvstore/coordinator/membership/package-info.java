/**
 * Which nodes exist and which are alive: registration, heartbeats and the reaper.
 *
 * <p>Invariants: a node id maps to exactly one member; a member is UP from its registration until
 * no heartbeat arrived for the heartbeat timeout, then DOWN until its next heartbeat or
 * registration; the timeout counts only time the reaper ran (a round late by more than half a timeout
 * gives every UP node a fresh one); at most one node goes DOWN per round on silence alone, more only
 * if a direct question ({@link dev.kvstore.coordinator.membership.NodeProbe}) goes unanswered; while a member is UP, a registration of its id from another URL is refused (409)
 * unless it carries the member's instance token (the same node restarted on a new port); a node
 * marked leaving stays a member until the rebalancer has moved its data away.
 * Which nodes the ring holds is decided by the rebalancer ({@code migration}), never here.
 *
 * <p>The operator's and the nodes' {@code /nodes} endpoints live here: registration and heartbeats
 * ({@link dev.kvstore.coordinator.membership.MembershipController}), the listing, a key's placement and
 * graceful removal ({@link dev.kvstore.coordinator.membership.ClusterController}); only the settlement of
 * transactions in doubt under {@code /nodes/{id}/transactions} is the {@code txn} package's. This package
 * never imports {@code migration}, which imports it: the listing learns of the ring change in progress
 * through the {@link dev.kvstore.coordinator.membership.MigrationProgress} port the rebalancer implements.
 */
package dev.kvstore.coordinator.membership;
