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
 * {@link dev.kvstore.coordinator.group.GroupStateMachine} decodes log entries into commands, applies
 * them, and writes and loads snapshots; {@link dev.kvstore.coordinator.group.GroupServer} runs the Ratis
 * server around it and the leadership's life. The protocol between leaders:
 * <ul>
 *   <li>Only the leader acts (serves requests, reaps, rebalances, drives 2PC), and only once it has
 *       taken over: restored the membership and the ring from the group's state, undone a ring change
 *       its predecessor left half done, and told every live node its term.</li>
 *   <li>The leader commits each change ({@link dev.kvstore.coordinator.group.GroupLog}) before acting on
 *       it; a change whose commit failed is not acted on, and a ring whose commit is uncertain is not
 *       undone: the next takeover reads what the log holds.</li>
 *   <li>The leader serves only while it holds a lease ({@link dev.kvstore.coordinator.group.Leadership}):
 *       a commit begun at t proves no other leader before t plus the minimum election timeout, and the
 *       lease ends at t plus three quarters of it. A group of one needs none.</li>
 *   <li>Every message to a node carries the leader's term; nodes refuse older terms, so a deposed
 *       leader's late messages change nothing on a node the new leader has reached.</li>
 * </ul>
 */
package dev.kvstore.coordinator.group;
