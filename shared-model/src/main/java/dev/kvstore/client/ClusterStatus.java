package dev.kvstore.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's {@code GET /nodes} document. Fields the coordinator adds later are ignored; fields it
 * leaves out are {@code null} (or 0 / false).
 *
 * @param nodes     every node the coordinator knows, in id order
 * @param ranges    how many arcs of the ring have two, one or no live copies
 * @param migration the data migration in progress, if any
 * @param coordinators the coordinators of the group, with their roles; empty from a coordinator that
 *                  does not say
 */
public record ClusterStatus(List<Node> nodes, Ranges ranges, Migration migration, List<Coordinator> coordinators) {

    public ClusterStatus {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        coordinators = coordinators == null ? List.of() : List.copyOf(coordinators);
    }

    public ClusterStatus(List<Node> nodes, Ranges ranges, Migration migration) {
        this(nodes, ranges, migration, List.of());
    }

    /** The coordinator that leads the group, if the answering coordinator knows one. */
    public Optional<Coordinator> leader() {
        return coordinators.stream().filter(c -> "LEADER".equals(c.role())).findFirst();
    }

    /**
     * A coordinator of the group.
     *
     * @param role              LEADER, FOLLOWER, CANDIDATE or UNKNOWN (unreachable, as the answering one sees it)
     * @param term              the group's Raft term as the answering coordinator knows it
     * @param lastContactMillis for a follower, when the leader last heard from it; null otherwise
     */
    public record Coordinator(String id, String url, String role, Long term, Long lastContactMillis) {
    }

    /** The node with this id, if the coordinator lists it. */
    public Optional<Node> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The ring is formed, every arc has two live copies, and no migration is running. */
    public boolean fullyReplicated() {
        return ranges != null && ranges.formed() && ranges.oneCopy() == 0 && ranges.noCopy() == 0
                && migration != null && migration.isIdle();
    }

    /**
     * A storage node.
     *
     * @param url           its base URL; {@code null} for a ring member that has not registered since the
     *                      coordinator started
     * @param state         UP, JOINING, LEAVING or DOWN (a string, so new states do not break old clients)
     * @param lastHeartbeat when the coordinator last heard from it, if ever
     * @param heartbeatAgeMillis how long before the answer that was, in milliseconds; {@code null} from a
     *                      coordinator that does not say
     * @param ringShare     the fraction of the hash space it is primary for
     * @param positions     its tokens on the ring; empty unless asked for ({@link KvClient#nodes(boolean)})
     * @param ownKeys       keys in its own table; {@code null} when it could not be asked
     * @param prevKeys      keys in its prev table; {@code null} when it could not be asked
     */
    public record Node(String id, String url, String state, Instant lastHeartbeat, Long heartbeatAgeMillis,
                       double ringShare, List<Long> positions, Integer ownKeys, Integer prevKeys) {

        public Node {
            positions = positions == null ? List.of() : List.copyOf(positions);
        }

        public boolean isUp() {
            return "UP".equals(state);
        }

        /** Without the (long) list of positions. */
        @Override
        public String toString() {
            return "Node[" + id + " " + state + " " + url + ", share=" + ringShare + ", own=" + ownKeys + ", prev="
                    + prevKeys + ", lastHeartbeat=" + lastHeartbeat + "]";
        }
    }

    /**
     * Live copies of the ring's arcs.
     *
     * @param formed    whether the ring exists yet (after a coordinator start, once nodes register)
     * @param ranges    arcs of the ring
     * @param twoCopies arcs whose primary and replica are both live
     * @param oneCopy   arcs with one live copy: readable, not writable until re-replicated
     * @param noCopy    arcs with no live copy: unreadable
     */
    public record Ranges(boolean formed, long ranges, long twoCopies, long oneCopy, long noCopy) {
    }

    /**
     * What the coordinator's rebalancer is doing.
     *
     * @param change     the ring change in progress ("node-4 joins"), or {@code null} when idle
     * @param phase      planning, copying, moving, cut-over, dropping, or idle
     * @param keysToMove keys this change carries
     * @param keysMoved  keys carried so far
     * @param startedAt  when the change started, {@code null} when idle
     * @param lastError  why the last attempt failed, if it did (it is retried)
     */
    public record Migration(String change, String phase, long keysToMove, long keysMoved, Instant startedAt,
                            String lastError) {

        public boolean isIdle() {
            return "idle".equals(phase);
        }
    }
}
