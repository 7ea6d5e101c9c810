package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.NodeInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Assembles the operator's view of the nodes: state, heartbeat age, ring share (and positions), key counts. */
public final class NodeDirectory {

    private static final BigInteger RING_SIZE = BigInteger.ONE.shiftLeft(64);

    private final Membership membership;
    private final RingHolder ring;
    private final Function<String, Optional<NodeInfo>> askNode;
    private final ExecutorService executor;

    /** @param askNode fetches a node's own description by its URL; empty when it cannot answer */
    public NodeDirectory(Membership membership, RingHolder ring, Function<String, Optional<NodeInfo>> askNode,
                         ExecutorService executor) {
        this.membership = membership;
        this.ring = ring;
        this.askNode = askNode;
        this.executor = executor;
    }

    /** @param withPositions whether to list each node's ring positions (hundreds per node) */
    public List<NodeView> views(boolean withPositions) {
        List<Member> members = membership.members();
        List<Future<Optional<NodeInfo>>> infos = new ArrayList<>();
        for (Member m : members) {
            infos.add(m.isUp() ? executor.submit(() -> askNode.apply(m.url())) : null);
        }
        Map<String, Double> shares = shares(ring.current());
        List<NodeView> views = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Optional<NodeInfo> info = Optional.empty();
            if (infos.get(i) != null) {
                try {
                    info = infos.get(i).get();
                } catch (Exception e) {
                    info = Optional.empty();
                }
            }
            views.add(view(members.get(i), shares, info, withPositions));
        }
        return views;
    }

    /** One node without its key counts (those take a call to the node). */
    NodeView view(Member member) {
        return view(member, shares(ring.current()), Optional.empty(), false);
    }

    private NodeView view(Member m, Map<String, Double> shares, Optional<NodeInfo> info, boolean withPositions) {
        return new NodeView(m.id(), m.url(), displayState(m), m.lastHeartbeat(), membership.heartbeatAge(m).toMillis(),
                shares.getOrDefault(m.id(), 0.0), withPositions ? ring.current().positionsOf(m.id()) : null,
                info.map(NodeInfo::ownKeys).orElse(null), info.map(NodeInfo::prevKeys).orElse(null),
                m.notWritable() == null, m.notWritable(), m.diskFull());
    }

    /**
     * UP only once the node holds its share of the ring; JOINING while its data is being moved to it,
     * LEAVING while it is moved away, DOWN when its heartbeats stopped.
     */
    public String displayState(Member m) {
        boolean inRing = ring.current().nodes().contains(m.id());
        if (!m.isUp()) {
            return "DOWN";
        }
        if (membership.isLeaving(m.id())) {
            return "LEAVING";
        }
        return inRing ? "UP" : "JOINING";
    }

    /**
     * How many live copies each arc of the ring has, counting only copies a write can reach (a node whose log
     * cannot write holds a readable copy, not a writable one): the basis of the coordinator's health.
     */
    public ReplicaCoverage coverage() {
        HashRing current = ring.current();
        java.util.Set<String> live = membership.live();
        java.util.Set<String> writable = membership.writable();
        long[] byCopies = new long[3];
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>(current.positions().keySet());
        for (long cut : cuts) {
            List<String> replicas = current.preferenceList(cut, HashRing.REPLICAS);
            long copies = replicas.stream().filter(writable::contains).count();
            if (copies == 0 && replicas.stream().anyMatch(live::contains)) {
                copies = 1; // readable, not writable
            }
            byCopies[(int) Math.min(copies, 2)]++;
        }
        return new ReplicaCoverage(ring.formed(), cuts.size(), byCopies[2], byCopies[1], byCopies[0]);
    }

    /** Each node's fraction of the 64-bit circle: the arcs ending at its positions. */
    static Map<String, Double> shares(HashRing ring) {
        record Position(long at, String node) {
        }
        List<Position> all = new ArrayList<>();
        for (String node : ring.nodes()) {
            ring.positionsOf(node).forEach(p -> all.add(new Position(p, node)));
        }
        Map<String, Double> shares = new HashMap<>();
        if (all.isEmpty()) {
            return shares;
        }
        all.sort((a, b) -> Long.compare(a.at(), b.at()));
        for (int i = 0; i < all.size(); i++) {
            Position p = all.get(i);
            Position before = all.get((i - 1 + all.size()) % all.size());
            BigInteger arc = BigInteger.valueOf(p.at()).subtract(BigInteger.valueOf(before.at())).mod(RING_SIZE);
            if (all.size() == 1) {
                arc = RING_SIZE;
            }
            shares.merge(p.node(), arc.doubleValue() / RING_SIZE.doubleValue(), Double::sum);
        }
        return shares;
    }
}
