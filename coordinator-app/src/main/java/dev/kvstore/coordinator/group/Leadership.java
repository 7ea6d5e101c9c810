package dev.kvstore.coordinator.group;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Whether this coordinator may act as the group's leader at this instant, and where a request goes
 * when it may not. Pure: the Raft server tells it what happens, {@link #route} answers per request.
 *
 * <p>The lease: a leader serves only while it holds one. A lease is proved by a command committed in the
 * leader's term ({@link GroupCommand.ConfirmLeadership}): a majority accepted an entry sent after the
 * commit began, so none of them will help elect another leader before its election timeout has run
 * from that moment. The lease runs from when the confirming commit began, for less than the election
 * timeout; a leader paused past it (SIGSTOP, a long GC) finds its lease expired on resuming and serves
 * nothing until it has confirmed again, which a deposed leader cannot. A group of one needs no lease:
 * no other member can be elected.
 */
public final class Leadership {

    /** Where a request goes. */
    public sealed interface Route {

        /** This coordinator leads, holds the lease, and has taken over: it answers, in {@code term}. */
        record Serve(long term) implements Route {
        }

        /** Another coordinator leads: ask it. */
        record Forward(GroupPeer leader) implements Route {
        }

        /** Nobody can answer now; retry shortly. */
        record Unavailable(String reason) implements Route {
        }
    }

    private final String self;
    private final Map<String, GroupPeer> peers;
    private final LongSupplier nanoTime;
    private final long leaseNanos;
    private final boolean alone;
    // The term this coordinator leads in (0: it does not), and whether its takeover is done.
    private volatile long term;
    // The term on messages to nodes: the group's term floor plus the latest term this coordinator led in;
    // kept after it steps down, for its late messages.
    private volatile long stamp;
    private volatile boolean serving;
    private volatile long leaseUntil;

    /**
     * @param lease how long a confirmation lets the leader serve; less than the minimum election timeout,
     *              with room for the clocks' drift and the time between a check and its use
     */
    public Leadership(String self, Map<String, GroupPeer> peers, LongSupplier nanoTime, Duration lease) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.nanoTime = nanoTime;
        this.leaseNanos = lease.toNanos();
        this.alone = peers.size() == 1;
    }

    /**
     * Elected in {@code term}, with the group's term floor at {@code floor}: the takeover starts; nothing
     * is served until {@link #serving(long)}.
     */
    public synchronized void takingOver(long term, long floor) {
        this.term = term;
        this.stamp = Math.max(stamp, floor + term);
        this.serving = false;
        this.leaseUntil = nanoTime.getAsLong();
    }

    /** The takeover in {@code term} is done: serve, while the lease lasts. Ignored if the term moved on. */
    public synchronized void serving(long term) {
        if (this.term == term) {
            serving = true;
        }
    }

    /** The group's term floor, raised to {@code floor} by a commit in {@code term}: stamp above it from now on. */
    public synchronized void floorRaised(long term, long floor) {
        if (this.term == term) {
            stamp = Math.max(stamp, floor + term);
        }
    }

    /** No longer the leader (or not sure of it): serve nothing from now on. */
    public synchronized void steppedDown() {
        term = 0;
        serving = false;
    }

    /** A confirmation begun at {@code startedNanos} in {@code term} committed: the lease runs from then. */
    public synchronized void confirmed(long term, long startedNanos) {
        if (this.term == term && startedNanos + leaseNanos - leaseUntil > 0) {
            leaseUntil = startedNanos + leaseNanos;
        }
    }

    /** The term this coordinator leads in; 0 when it does not lead. */
    public long term() {
        return term;
    }

    /**
     * The term to put on a message to a node: the latest this coordinator led in, plus the group's term
     * floor (0 if it never led). A message a deposed leader sends late, after stepping down, still carries
     * its old term, so the nodes that have heard of a newer one refuse it; it must never go out unmarked.
     * Later leaders stamp higher: their Raft term is higher and the floor only grows, in the group's log.
     */
    public long messageTerm() {
        return stamp;
    }

    /** Whether this coordinator answers requests now: it leads, has taken over and holds the lease. */
    public boolean serves() {
        return serving && (alone || leaseUntil - nanoTime.getAsLong() > 0);
    }

    /** Whether the lease needs renewing: it ends within {@code margin}. */
    public boolean leaseEndsWithin(Duration margin) {
        return !alone && term != 0 && leaseUntil - nanoTime.getAsLong() < margin.toNanos();
    }

    /**
     * Where a request goes now.
     *
     * @param leaderId the leader as this member's Raft server knows it, or null when it knows none
     */
    public Route route(String leaderId) {
        long leading = term;
        if (serves()) {
            return new Route.Serve(leading);
        }
        if (leading != 0) {
            return new Route.Unavailable(serving
                    ? "coordinator " + self + " cannot confirm that it still leads the group (its lease expired)"
                    : "coordinator " + self + " was just elected and is taking over");
        }
        if (leaderId == null || leaderId.equals(self)) {
            return new Route.Unavailable("no coordinator leads the group now (an election is under way)");
        }
        GroupPeer leader = peers.get(leaderId);
        return leader == null ? new Route.Unavailable("the group's leader " + leaderId + " is not a known peer")
                : new Route.Forward(leader);
    }
}
