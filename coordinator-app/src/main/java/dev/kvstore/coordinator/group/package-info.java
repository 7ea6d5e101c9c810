/**
 * The coordinator group's replicated state: what every coordinator must agree on and never lose,
 * kept in a Raft group (Apache Ratis) so that any coordinator can take over as leader.
 *
 * <p>What is replicated: the membership table (node id, URL, instance token, up or down, leaving,
 * removed), the ring with its epoch, and the migration in progress. What is not: heartbeats (the
 * leader's memory; a new leader gives every node a full heartbeat timeout), the cache, and
 * transactions (their nodes resolve them).
 *
 * <p>Invariants, held by {@link dev.kvstore.coordinator.group.GroupState} alone:
 * <ul>
 *   <li>Every change is one {@link dev.kvstore.coordinator.group.GroupCommand}, applied in log order;
 *       applying the same commands to a fresh state gives the same state (no clock, no randomness in
 *       {@code apply}), and a snapshot restored gives the state it was taken from.</li>
 *   <li>A node id maps to at most one registration; while it is up, a registration of the id from
 *       another URL is refused unless it carries the same instance token.</li>
 *   <li>The ring's epoch only grows: a ring with an epoch not above the current one is refused.</li>
 *   <li>At most one migration is in progress.</li>
 * </ul>
 * {@link dev.kvstore.coordinator.group.GroupStateMachine} is the only class that knows Ratis: it
 * decodes log entries into commands, applies them, and writes and loads snapshots.
 */
package dev.kvstore.coordinator.group;
