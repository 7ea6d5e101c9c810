/**
 * Which nodes exist and which are alive: registration, heartbeats and the reaper.
 *
 * <p>Invariants: a node id maps to exactly one member; a member is UP from its registration until
 * no heartbeat arrived for the heartbeat timeout, then DOWN until its next heartbeat or
 * registration; the ring is recomputed whenever the set of registered ids changes, never on a state
 * change alone (placement does not move while a node is briefly down).
 */
package dev.kvstore.coordinator.membership;
