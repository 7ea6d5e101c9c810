package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.group.GroupCommand;
import dev.kvstore.coordinator.group.GroupLog;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MigrationProgress;
import dev.kvstore.coordinator.membership.MigrationStatus;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.model.RingView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the ring toward the nodes that should hold it, one node at a time: a node that died or is
 * being removed leaves first, then a node that registered (new, or back) joins. Each change is
 * planned, its copies and moves run on the nodes while writes to the moving arcs wait, the new ring
 * is published, and old copies are dropped. A failure leaves the old ring; the next tick retries.
 * The start and end of each change and every ring published are committed to the coordinators' group
 * log first, so a new leader knows the ring and undoes a change its predecessor left half done.
 */
public final class Rebalancer implements MigrationProgress {

    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    private final Membership membership;
    private final RingHolder ring;
    private final MigrationTransport nodes;
    private final WriteGate gate;
    private final int virtualNodes;
    private final Clock clock;
    private final Duration formationWindow;
    private final Duration restartWait;
    private final GroupLog group;
    // The missing members last logged, so the wait is logged when it changes, not on every tick.
    private Set<String> loggedMissing = Set.of();
    // The ring members awaited after a takeover last logged.
    private Set<String> loggedAwaited = Set.of();
    private final AtomicLong keysMoved = new AtomicLong();
    // Steps of the change in progress (cleanups, copies, moves, the cut-over, drops); 0 of 0 when idle.
    private final AtomicLong stepsDone = new AtomicLong();
    private volatile long stepsTotal;
    // Written only under tick()'s lock; volatile for the readers of epoch().
    private volatile long epoch;
    private volatile MigrationStatus status = MigrationStatus.idle(null);
    private static final Duration REPEAT_LOG_EVERY = Duration.ofMinutes(1);
    // The change whose failure was last reported, and when; written only under tick()'s lock.
    private String failing;
    private Instant failureLogged = Instant.MIN;

    /**
     * @param formationWindow after a coordinator start, how long after the first registration it waits
     *                        for the others before forming the ring from every node registered by then
     * @param restartWait     when the nodes reported a previous ring, how long after the first
     *                        registration it waits at most for that ring's members before forming
     *                        with the missing ones DOWN
     */
    public Rebalancer(Membership membership, RingHolder ring, MigrationTransport nodes, WriteGate gate,
                      int virtualNodes, Clock clock, Duration formationWindow, Duration restartWait) {
        this(membership, ring, nodes, gate, virtualNodes, clock, formationWindow, restartWait, GroupLog.NONE);
    }

    public Rebalancer(Membership membership, RingHolder ring, MigrationTransport nodes, WriteGate gate,
                      int virtualNodes, Clock clock, Duration formationWindow, Duration restartWait, GroupLog group) {
        this.group = group;
        this.membership = membership;
        this.ring = ring;
        this.nodes = nodes;
        this.gate = gate;
        this.virtualNodes = virtualNodes;
        this.clock = clock;
        this.formationWindow = formationWindow;
        this.restartWait = restartWait;
    }

    @Override
    public MigrationStatus status() {
        return status;
    }

    /** The epoch of the ring last published (0 before the first), as announced to the nodes. */
    public long epoch() {
        return epoch;
    }

    /** Node calls the change in progress needs: drops, copies, moves, the cut-over, drops again. */
    public long stepsTotal() {
        return stepsTotal;
    }

    /** Of {@link #stepsTotal()}, how many are done. */
    public long stepsDone() {
        return stepsDone.get();
    }

    /**
     * A new leader starts from the group's state: its ring (or none, to be formed from the nodes'
     * reports), and no change in progress. A change its predecessor left half done is settled by where
     * the group's ring is: still the old ring, its moves are undone (every move of its plan moved back,
     * which moves nothing where none happened) and it is planned again; already the new ring (the
     * predecessor died after the cut-over), its drops are done. Either way it is ended in the group's
     * log. Tells the live nodes the ring again, so that they hear the new leader's term before it serves.
     */
    public synchronized void takeOver(GroupState.Snapshot state) {
        gate.unblock();
        status = MigrationStatus.idle(null);
        stepsTotal = 0;
        stepsDone.set(0);
        failing = null;
        epoch = state.ring().epoch();
        if (epoch == 0) {
            ring.unform();
            return;
        }
        ring.publish(HashRing.of(state.ring().nodes(), virtualNodes));
        GroupState.Migration unfinished = state.migration();
        if (unfinished != null) {
            abandon(unfinished);
        }
        // A node that took the announcement is alive now, whatever became of its heartbeats meanwhile (they
        // went to the old leader, or were refused during the election): it counts as heard from.
        announce(new RingView(epoch, List.copyOf(ring.current().nodes()))).forEach(membership::answered);
    }

    private void abandon(GroupState.Migration unfinished) {
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

    /** One step toward the desired ring, if one is needed; returns whether the ring changed. */
    public synchronized boolean tick() {
        if (!ring.formed()) {
            return form();
        }
        Set<String> current = ring.current().nodes();
        Set<String> desired = membership.desiredRing();
        for (Member m : membership.members()) {
            if (membership.isLeaving(m.id()) && !current.contains(m.id())) {
                membership.remove(m.id());
            }
        }
        Set<String> awaited = awaitedAfterTakeover(current);
        Optional<String> leaving = current.stream().filter(n -> !desired.contains(n) && !awaited.contains(n)).findFirst();
        Optional<String> joining = desired.stream().filter(n -> !current.contains(n)).findFirst();
        if (leaving.isPresent()) {
            Set<String> next = new TreeSet<>(current);
            next.remove(leaving.get());
            boolean removal = membership.isLeaving(leaving.get());
            return change(leaving.get() + (removal ? " is removed" : " is down"), next, Set.of(), !removal);
        }
        if (joining.isPresent()) {
            Set<String> next = new TreeSet<>(current);
            next.add(joining.get());
            return change(joining.get() + " joins", next, Set.of(joining.get()), false);
        }
        return false;
    }

    /**
     * Ring members DOWN that have not reached this coordinator since it took over as leader, while the
     * restart wait since the takeover lasts: the whole cluster may have restarted (each node on a new
     * port), and failing over a node that is still starting would move every range twice. Like the
     * first ring's formation, the wait ends for each node when it registers, and for all when it passes.
     */
    private Set<String> awaitedAfterTakeover(Set<String> ringNodes) {
        Optional<Instant> takeover = membership.restoredAt();
        if (takeover.isEmpty() || !clock.instant().isBefore(takeover.get().plus(restartWait))) {
            return Set.of();
        }
        Set<String> awaited = new TreeSet<>();
        for (String id : ringNodes) {
            membership.member(id).filter(m -> !m.isUp() && !m.confirmed() && !membership.isLeaving(id))
                    .ifPresent(m -> awaited.add(id));
        }
        if (!awaited.isEmpty() && !awaited.equals(loggedAwaited)) {
            log.info("Waiting up to {} after this coordinator took over (kv.membership.restart-wait) for {} to register "
                    + "before failing them over", restartWait, awaited);
        }
        loggedAwaited = awaited;
        return awaited;
    }

    /** What the ring waits for before it forms; empty once it has formed. */
    public Optional<Formation> formation() {
        return ring.formed() ? Optional.empty() : Optional.of(formation(clock.instant()));
    }

    /**
     * The rule: never before the formation window has passed since the first registration, so that a
     * newer ring reported by a node starting a moment later is not missed (an announcement may have
     * reached only some nodes); then at once if no ring was reported (a new cluster) or every member
     * of the newest one reported is UP; otherwise when they are, or at the latest once the restart
     * wait has passed since the first registration. Decided against the newest ring known at each
     * call, since a newer one can arrive with a later registration.
     */
    private Formation formation(Instant now) {
        Optional<RingView> reported = membership.lastRing();
        long reportedEpoch = reported.map(RingView::epoch).orElse(0L);
        Set<String> missing = new TreeSet<>();
        reported.ifPresent(r -> r.nodes().stream()
                .filter(id -> !membership.member(id).map(Member::isUp).orElse(false))
                .forEach(missing::add));
        Optional<Instant> first = membership.firstRegistration();
        if (first.isEmpty()) {
            return new Formation(reportedEpoch, missing, Optional.empty());
        }
        Instant formsAt = first.get().plus(formationWindow);
        if (!missing.isEmpty() && first.get().plus(restartWait).isAfter(formsAt)) {
            formsAt = first.get().plus(restartWait);
        }
        Duration left = now.isBefore(formsAt) ? Duration.between(now, formsAt) : Duration.ZERO;
        return new Formation(reportedEpoch, missing, Optional.of(left));
    }

    /**
     * The first ring after a start, with no data moved: the newest ring the nodes reported (members
     * still not UP when the wait ends count as DOWN, and are then failed over as usual), or, on a new
     * cluster, every node registered so far.
     */
    private boolean form() {
        Instant now = clock.instant();
        Formation formation = formation(now);
        if (!formation.due()) {
            logWait(formation, now);
            return false;
        }
        Optional<RingView> reported = membership.lastRing();
        Set<String> nodesNow;
        if (reported.isPresent()) {
            nodesNow = new TreeSet<>(reported.get().nodes());
            nodesNow.forEach(membership::addMissing);
            epoch = reported.get().epoch();
        } else {
            nodesNow = membership.desiredRing();
        }
        HashRing formed = HashRing.of(nodesNow, virtualNodes);
        RingView view = commitRing(formed);
        ring.publish(formed);
        announce(view);
        if (formation.missing().isEmpty()) {
            log.info("Ring formed with {} nodes{}: {}", nodesNow.size(),
                    reported.isPresent() ? " as the nodes last knew it" : "", nodesNow);
        } else {
            log.warn("Ring formed with {} nodes as the nodes last knew it: {}; {} did not register within {} "
                    + "(kv.membership.restart-wait): DOWN, to be failed over", nodesNow.size(), nodesNow,
                    formation.missing(), restartWait);
        }
        return true;
    }

    /** Once the formation window is over, says whom the ring still waits for, each time that changes. */
    private void logWait(Formation formation, Instant now) {
        boolean windowOver = membership.firstRegistration().map(f -> !f.plus(formationWindow).isAfter(now))
                .orElse(false);
        if (windowOver && !formation.missing().equals(loggedMissing)) {
            loggedMissing = formation.missing();
            log.info("Ring not formed yet: {}", formation.describe());
        }
    }

    /**
     * @param keepLost whether to keep the old ring rather than lose arcs that have no live copy left: for a
     *                 failover, where a holder coming back brings them back; an operator's removal goes on
     */
    private boolean change(String what, Set<String> nextNodes, Set<String> entering, boolean keepLost) {
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
                status = MigrationStatus.idle(what + ": " + plan.lost().size() + " arcs have no live copy; waiting for a "
                        + "holder to come back");
                return false;
            }
            log.error("{}: {} arcs have no live copy left to move; their keys are lost", what, plan.lost().size());
        }
        keysMoved.set(0);
        stepsDone.set(0);
        stepsTotal = plan.cleanups().size() + plan.copies().size() + plan.moves().size() + 1L + plan.drops().size();
        status = new MigrationStatus(what, "planning", 0, 0, started, null);
        if (!retrying) {
            log.info("Rebalancing: {} ({} copies, {} moves, {} drops over {} arcs)", what, plan.copies().size(),
                    plan.moves().size(), plan.drops().size(), plan.moving().size());
        }
        group.submit(new GroupCommand.BeginMigration(what, List.copyOf(from.nodes()), List.copyOf(to.nodes()),
                started.toEpochMilli()));
        gate.block(plan.moving());
        List<Step.Move> attempted = new ArrayList<>();
        try {
            long toMove = 0;
            for (Step.Copy copy : plan.copies()) {
                toMove += nodes.count(url(copy.source()), copy.sourceTable(), copy.ranges());
            }
            for (Step.Move move : plan.moves()) {
                toMove += nodes.count(url(move.node()), move.from(), move.ranges());
            }
            status = new MigrationStatus(what, "copying", toMove, 0, started, null);
            for (Step.Drop cleanup : plan.cleanups()) {
                nodes.drop(url(cleanup.node()), cleanup.table(), cleanup.ranges());
                stepsDone.incrementAndGet();
            }
            for (Step.Copy copy : plan.copies()) {
                keysMoved.addAndGet(nodes.copy(url(copy.target()), copy.targetTable(), url(copy.source()),
                        copy.sourceTable(), copy.ranges()));
                stepsDone.incrementAndGet();
                status = new MigrationStatus(what, "copying", toMove, keysMoved.get(), started, null);
            }
            status = new MigrationStatus(what, "moving", toMove, keysMoved.get(), started, null);
            if (!plan.moves().isEmpty()) {
                gate.blockReads(plan.moving());
            }
            for (Step.Move move : plan.moves()) {
                attempted.add(move);
                keysMoved.addAndGet(nodes.move(url(move.node()), move.from(), move.to(), move.ranges()));
                stepsDone.incrementAndGet();
            }
            status = new MigrationStatus(what, "cut-over", toMove, keysMoved.get(), started, null);
            RingView view = commitRing(to);
            gate.exclusively(() -> ring.publish(to));
            stepsDone.incrementAndGet();
            announce(view);
        } catch (RuntimeException e) {
            if (e instanceof RingUncertainException) {
                // The ring may have committed: the next leader (perhaps this one again) takes over from the
                // group's state, finishing the change or undoing it; undoing it here could undo a ring it keeps.
                log.warn("Rebalancing ({}): {}", what, e.getMessage());
                status = MigrationStatus.idle(what + ": " + e.getMessage());
                stepsTotal = 0;
                stepsDone.set(0);
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
            status = MigrationStatus.idle(what + ": " + e.getMessage());
            stepsTotal = 0;
            stepsDone.set(0);
            return false;
        } finally {
            gate.unblock();
        }
        status = new MigrationStatus(what, "dropping", status.keysToMove(), keysMoved.get(), started, null);
        for (Step.Drop drop : plan.drops()) {
            drop(drop);
            stepsDone.incrementAndGet();
        }
        failing = null;
        endMigration(what);
        log.info("Rebalanced: {} in {} ms; {} keys copied or moved", what,
                Duration.between(started, clock.instant()).toMillis(), keysMoved.get());
        status = MigrationStatus.idle(null);
        stepsTotal = 0;
        stepsDone.set(0);
        return true;
    }

    /**
     * Commits the next ring to the group: from then on it is the ring, whoever leads. A submission that
     * failed may still have committed, so it is submitted again: refused as no newer than the group's
     * ring, it had.
     *
     * @throws RingUncertainException when the group could not say whether it committed
     */
    private RingView commitRing(HashRing next) {
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
    private Set<String> announce(RingView view) {
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
