package dev.kvstore.coordinator.membership;

/**
 * How many live copies the ring's arcs have.
 *
 * @param formed   whether the ring exists yet (after a coordinator start it forms once nodes register)
 * @param ranges   arcs of the ring
 * @param twoCopies arcs whose primary and replica are both live
 * @param oneCopy  arcs with a single writable copy (the other down, or unable to write): readable, not
 *                 writable until re-replicated or healed
 * @param noCopy   arcs with no live copy: unreadable
 */
public record ReplicaCoverage(boolean formed, long ranges, long twoCopies, long oneCopy, long noCopy) {
}
