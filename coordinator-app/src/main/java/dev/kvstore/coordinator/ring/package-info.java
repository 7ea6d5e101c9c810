/**
 * Routing: which nodes hold a key, and whether a request may go there now. Plain Java, no Spring; the
 * rebalancer builds a new {@link dev.kvstore.coordinator.ring.HashRing} whenever the set of nodes
 * changes and publishes it through the {@link dev.kvstore.coordinator.ring.RingHolder}; the
 * {@link dev.kvstore.coordinator.ring.WriteGate} holds requests to the arcs a change is moving (writes
 * while they are copied, reads too while entries move between a node's tables) and lets them go at the
 * cut-over, so no request routed by the old ring lands after the new one is published.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The ring is a circle of signed 64-bit positions. A node owns the arc from its predecessor's
 *       position (exclusive) to its own (inclusive); past the largest position the circle wraps to
 *       the smallest.</li>
 *   <li>A key's position is {@code HashRing.hash(key)}: MurmurHash3 x64_128 of its UTF-8 bytes, seed 0,
 *       {@code h1}. Virtual node {@code i} of node {@code n} sits at {@code hash(n + "#" + i)}. The hash
 *       is implemented here and pinned by reference vectors: changing it moves every key. A request
 *       routes by the hash its {@link dev.kvstore.model.Key} carries, computed once.</li>
 *   <li>A ring is a pure function of its set of node ids and the virtual-node count: input order and
 *       duplicates do not matter, and when two virtual nodes hash to one position the smaller node id
 *       (by {@link java.lang.String#compareTo}) keeps it.</li>
 *   <li>A key's preference list is its primary (owner of its successor position) followed by the
 *       next distinct nodes clockwise; with replication factor 2 the second entry is the replica. It
 *       holds {@code min(replicas, size())} distinct nodes.</li>
 *   <li>Adding a node only moves keys onto it; removing one only moves its keys, each to its former
 *       replica.</li>
 *   <li>Rings are immutable and safe to share between threads without locking.</li>
 * </ul>
 */
package dev.kvstore.coordinator.ring;
