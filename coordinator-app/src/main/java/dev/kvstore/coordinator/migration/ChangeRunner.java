package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.group.GroupCommand;
import dev.kvstore.coordinator.group.GroupLog;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.model.RingView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the ring changes the {@link Rebalancer} decides on, under its lock: plans a change, records
 * its start in the group's log, runs its cleanups, copies and moves on the nodes while writes (then reads)
 * to the moving arcs wait, commits and publishes the new ring, tells the nodes, drops the old copies and
 * records the end. A failed step moves back what was moved and keeps the old ring. Also settles a change
 * a previous leader left half done, and owns the epoch of the rings it commits.
 */
final class ChangeRunner {

    // The rebalancer's logger: operators know its lines by that name.
    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);
    private static final Duration REPEAT_LOG_EVERY = Duration.ofMinutes(1);

    private final Membership membership;
    private final RingHolder ring;
    private final MigrationTransport nodes;
    private final WriteGate gate;
    private final int virtualNodes;
    private final Clock clock;
    private final GroupLog group;
    private final MigrationTracker tracker;
    // Written only under the rebalancer's lock; volatile for the readers of epoch().
    private volatile long epoch;
    // The change whose failure was last reported, and when; written only under the rebalancer's lock.
    private String failing;
    private Instant failureLogged = Instant.MIN;

    ChangeRunner(Membership membership, RingHolder ring, MigrationTransport nodes, WriteGate gate, int virtualNodes,
                 Clock clock, GroupLog group, MigrationTracker tracker) {
        this.membership = membership;
        this.ring = ring;
        this.nodes = nodes;
        this.gate = gate;
        this.virtualNodes = virtualNodes;
        this.clock = clock;
        this.group = group;
        this.tracker = tracker;
    }

    /** The epoch of the ring last committed (0 before the first). */
    long epoch() {
        return epoch;
    }

    /** Goes on from a ring of {@code epoch} committed elsewhere (by a predecessor, or as the nodes reported it). */
    void resumeAt(long epoch) {
        this.epoch = epoch;
    }

    /** Forgets the failure last reported: a new leader reports afresh. */
    void forgetFailure() {
        failing = null;
    }

    /**
     * A change its predecessor left half done: still the old ring, its moves are undone (every move of its
     * plan moved back, which moves nothing where none happened); already the new ring, its drops are done.
     * Either way it is ended in the group's log.
     */
    void abandon(GroupState.Migration unfinished) {
        HashRing from = HashRing.of(unfinished.fromNodes(), virtualNodes);
        HashRing to = HashRing.of(unfinished.toNodes(), virtualNodes);
        Set<String> entering = new TreeSet<>(to.nodes());
        entering.removeAll(from.nodes());
        MigrationPlan plan = MigrationPlanner.plan(from, to, membership.live(), entering);
        if (ring.current().nodes().equals(to.nodes())) {
            log.warn("The previous leader died after the cut-over of a change ({}): dropping the {} old copies",
                    unfinished.change(), plan.drops().size());
            plan.drops().forEach(this::drop);
        } else {
            log.warn("The previous leader left a change half done ({}): moving back its {} moves", unfinished.change(),
                    plan.moves().size());
            undo(plan.moves(), unfinished.change(), false);
        }
        group.submit(new GroupCommand.EndMigration());
    }

    /**
     * @param keepLost whether to keep the old ring rather than lose arcs that have no live copy left: for a
     *                 failover, where a holder coming back brings them back; an operator's removal goes on
     * @return whether the ring changed
     */
    boolean change(String what, Set<String> nextNodes, Set<String> entering, boolean keepLost) {
        HashRing from = ring.current();
        HashRing to = HashRing.of(nextNodes, virtualNodes);
        Set<String> live = membership.live();
        MigrationPlan plan = MigrationPlanner.plan(from, to, live, entering);
        Instant started = clock.instant();
        boolean retrying = what.equals(failing) && started.isBefore(failureLogged.plus(REPEAT_LOG_EVERY));
        if (!plan.lost().isEmpty()) {
            if (keepLost) {
                if (!retrying) {
                    log.error("{}: {} arcs have no live copy left (every holder is DOWN); keeping the ring until one "
                            + "of their holders is back", what, plan.lost().size());
                    failing = what;
                    failureLogged = started;
                }
                tracker.idle(what + ": " + plan.lost().size() + " arcs have no live copy; waiting for a holder to "
                        + "come back");
                return false;
            }
            log.error("{}: {} arcs have no live copy left to move; their keys are lost", what, plan.lost().size());
        }
        tracker.begin(what, started,
                plan.cleanups().size() + plan.copies().size() + plan.moves().size() + 1L + plan.drops().size());
        if (!retrying) {
            log.info("Rebalancing: {} ({} copies, {} moves, {} drops over {} arcs)", what, plan.copies().size(),
                    plan.moves().size(), plan.drops().size(), plan.moving().size());
        }
        group.submit(new GroupCommand.BeginMigration(what, List.copyOf(from.nodes()), List.copyOf(to.nodes()),
                started.toEpochMilli()));
        gate.block(plan.moving());
        List<Step.Move> attempted = new ArrayList<>();
        try {
            runUntilCutOver(plan, to, attempted);
        } catch (RuntimeException e) {
            if (e instanceof RingUncertainException) {
                // The ring may have committed: the next leader (perhaps this one again) takes over from the
                // group's state, finishing the change or undoing it; undoing it here could undo a ring it keeps.
                log.warn("Rebalancing ({}): {}", what, e.getMessage());
                tracker.idle(what + ": " + e.getMessage());
                return false;
            }
            undo(attempted, what, retrying);
            endMigration(what);
            // A step that keeps failing (a source holding writes in doubt, a node unreachable) is retried
            // every tick; it is reported when it starts failing, then once a minute.
            if (retrying) {
                log.debug("Rebalancing ({}) failed again: {}", what, e.getMessage());
            } else {
                log.warn("Rebalancing ({}) failed, keeping the old ring and retrying: {}", what, e.getMessage());
                failing = what;
                failureLogged = started;
            }
            tracker.idle(what + ": " + e.getMessage());
            return false;
        } finally {
            gate.unblock();
        }
        tracker.phase("dropping");
        for (Step.Drop drop : plan.drops()) {
            drop(drop);
            tracker.stepDone(0);
        }
        failing = null;
        endMigration(what);
        log.info("Rebalanced: {} in {} ms; {} keys copied or moved", what,
                Duration.between(started, clock.instant()).toMillis(), tracker.keysMoved());
        tracker.idle(null);
        return true;
    }

    /** The plan's steps up to the new ring published and announced; {@code attempted} collects the moves tried. */
    private void runUntilCutOver(MigrationPlan plan, HashRing to, List<Step.Move> attempted) {
        long toMove = 0;
        for (Step.Copy copy : plan.copies()) {
            toMove += nodes.count(url(copy.source()), copy.sourceTable(), copy.ranges());
        }
        for (Step.Move move : plan.moves()) {
            toMove += nodes.count(url(move.node()), move.from(), move.ranges());
        }
        tracker.phase("copying", toMove);
        for (Step.Drop cleanup : plan.cleanups()) {
            nodes.drop(url(cleanup.node()), cleanup.table(), cleanup.ranges());
            tracker.stepDone(0);
        }
        for (Step.Copy copy : plan.copies()) {
            tracker.stepDone(nodes.copy(url(copy.target()), copy.targetTable(), url(copy.source()),
                    copy.sourceTable(), copy.ranges()));
            tracker.phase("copying");
        }
        tracker.phase("moving");
        if (!plan.moves().isEmpty()) {
            gate.blockReads(plan.moving());
        }
        for (Step.Move move : plan.moves()) {
            attempted.add(move);
            tracker.stepDone(nodes.move(url(move.node()), move.from(), move.to(), move.ranges()));
        }
        tracker.phase("cut-over");
        RingView view = commitRing(to);
        gate.exclusively(() -> ring.publish(to));
        tracker.stepDone(0);
        announce(view);
    }

    /**
     * Commits the next ring to the group: from then on it is the ring, whoever leads. A submission that
     * failed may still have committed, so it is submitted again: refused as no newer than the group's
     * ring, it had.
     *
     * @throws RingUncertainException when the group could not say whether it committed
     */
    RingView commitRing(HashRing next) {
        RingView view = new RingView(epoch + 1, List.copyOf(next.nodes()));
        try {
            group.submit(new GroupCommand.PublishRing(view));
        } catch (RuntimeException first) {
            try {
                group.submit(new GroupCommand.PublishRing(view));
            } catch (RuntimeException again) {
                throw new RingUncertainException("ring epoch " + view.epoch() + " may or may not have committed in the "
                        + "coordinator group (" + again.getMessage() + "); the group's next leader settles it");
            }
        }
        epoch = view.epoch();
        return view;
    }

    private static final class RingUncertainException extends RuntimeException {
        RingUncertainException(String message) {
            super(message);
        }
    }

    /** Deletes copies a node no longer needs; one it cannot reach keeps them (no ring reads them there). */
    private void drop(Step.Drop drop) {
        try {
            nodes.drop(url(drop.node()), drop.table(), drop.ranges());
        } catch (RuntimeException e) {
            log.warn("nodeId={} could not drop copies it no longer needs: {}", drop.node(), e.getMessage());
        }
    }

    /** Ends the change in the group's log; a leader that cannot leaves it to its successor to undo. */
    private void endMigration(String what) {
        try {
            group.submit(new GroupCommand.EndMigration());
        } catch (RuntimeException e) {
            log.warn("Rebalancing ({}): could not record its end in the coordinator group: {}", what, e.getMessage());
        }
    }

    /**
     * Tells the live nodes the ring now routed by, all at once; they keep it and report it after a
     * coordinator restart (and a new leader's term reaches them with it). Returns the nodes that took it.
     */
    Set<String> announce(RingView view) {
        Set<String> told = ConcurrentHashMap.newKeySet();
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String node : membership.live()) {
                calls.execute(() -> {
                    try {
                        nodes.announceRing(url(node), view);
                        told.add(node);
                    } catch (RuntimeException e) {
                        log.warn("nodeId={} could not be told ring epoch {}: {}", node, view.epoch(), e.getMessage());
                    }
                });
            }
        }
        return told;
    }

    /**
     * Puts back the entries a failed change moved between a node's tables, so the old ring it keeps finds
     * every key where it looks: the reads those arcs held back are let go when this returns. The move that
     * failed is undone too (it may have happened with its answer lost); moving back nothing is harmless. A
     * node that cannot be reached for it cannot be read either, and is asked again by the next attempt.
     */
    private void undo(List<Step.Move> attempted, String what, boolean retrying) {
        for (Step.Move move : attempted.reversed()) {
            try {
                nodes.move(url(move.node()), move.to(), move.from(), move.ranges());
            } catch (RuntimeException e) {
                if (!retrying) {
                    log.warn("Rebalancing ({}): could not move {}'s entries back from {} to {}: {}", what,
                            move.node(), move.to(), move.from(), e.getMessage());
                }
            }
        }
    }

    private String url(String nodeId) {
        return membership.member(nodeId).map(Member::url)
                .orElseThrow(() -> new IllegalStateException("node " + nodeId + " is no longer registered"));
    }
}
