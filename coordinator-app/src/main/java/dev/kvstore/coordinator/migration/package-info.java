/**
 * Data migration when the ring changes: a node declared DOWN, a node back or new, a node removed.
 *
 * <p>Invariants: the ring changes one node at a time; before the new ring is published, every arc
 * whose holders change has been copied to its new holders (node to node) from a live old holder,
 * and writes to those arcs wait (in-flight ones drain first), so no acknowledged write is missing
 * from the copy and none is applied twice; old holders drop their copies only after the cut-over; a
 * node entering the ring starts from empty tables, so nothing it held before can come back; a
 * failed step leaves the old ring in place, with entries already moved between a node's tables put back
 * where that ring reads them, and the change is tried again.
 *
 * <p>After a coordinator start, the first ring is formed without moving data: on a new cluster from
 * the nodes registered within the formation window; otherwise as the newest ring any node reported,
 * never before the formation window has passed, at once when all its members are UP, and with the
 * missing ones DOWN only once the restart wait has passed, so a whole-cluster restart fails nothing
 * over.
 */
package dev.kvstore.coordinator.migration;
