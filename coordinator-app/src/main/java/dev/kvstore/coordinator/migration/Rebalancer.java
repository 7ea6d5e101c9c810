package dev.kvstore.coordinator.migration;

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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the ring toward the nodes that should hold it, one node at a time: a node that died or is
 * being removed leaves first, then a node that registered (new, or back) joins. Each change is
 * planned, its copies and moves run on the nodes while writes to the moving arcs wait, the new ring
 * is published, and old copies are dropped. A failure leaves the old ring; the next tick retries.
 * The start and end of each change and every ring published are committed to the coordinators' group
 * log first, so a new leader knows the ring and undoes a change its predecessor left half done.
 *
 * <p>This class decides: which change comes next, when the first ring forms, what a new leader starts
 * from. {@link ChangeRunner} carries a change out and {@link MigrationTracker} keeps its progress.
 */
public final class Rebalancer implements MigrationProgress {

    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    private final Membership membership;
    private final RingHolder ring;
    private final WriteGate gate;
    private final int virtualNodes;
    private final Clock clock;
    private final Duration formationWindow;
    private final Duration restartWait;
    private final MigrationTracker tracker = new MigrationTracker();
    private final ChangeRunner runner;
    // The missing members last logged, so the wait is logged when it changes, not on every tick.
    private Set<String> loggedMissing = Set.of();
    // The ring members awaited after a takeover last logged.
    private Set<String> loggedAwaited = Set.of();

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
        this.membership = membership;
        this.ring = ring;
        this.gate = gate;
        this.virtualNodes = virtualNodes;
        this.clock = clock;
        this.formationWindow = formationWindow;
        this.restartWait = restartWait;
        this.runner = new ChangeRunner(membership, ring, nodes, gate, virtualNodes, clock, group, tracker);
    }

    @Override
    public MigrationStatus status() {
        return tracker.status();
    }

    /** The epoch of the ring last published (0 before the first), as announced to the nodes. */
    public long epoch() {
        return runner.epoch();
    }

    /** Node calls the change in progress needs: drops, copies, moves, the cut-over, drops again. */
    public long stepsTotal() {
        return tracker.stepsTotal();
    }

    /** Of {@link #stepsTotal()}, how many are done. */
    public long stepsDone() {
        return tracker.stepsDone();
    }

    /**
     * A new leader starts from the group's state: its ring (or none, to be formed from the nodes'
     * reports), and no change in progress. A change its predecessor left half done is settled by where
     * the group's ring is (see {@link ChangeRunner#abandon}) and ended in the group's log. Tells the live
     * nodes the ring again, so that they hear the new leader's term before it serves.
     */
    public synchronized void takeOver(GroupState.Snapshot state) {
        gate.unblock();
        tracker.idle(null);
        runner.forgetFailure();
        runner.resumeAt(state.ring().epoch());
        if (state.ring().epoch() == 0) {
            ring.unform();
            return;
        }
        ring.publish(HashRing.of(state.ring().nodes(), virtualNodes));
        GroupState.Migration unfinished = state.migration();
        if (unfinished != null) {
            runner.abandon(unfinished);
        }
        // A node that took the announcement is alive now, whatever became of its heartbeats meanwhile (they
        // went to the old leader, or were refused during the election): it counts as heard from.
        runner.announce(new RingView(runner.epoch(), List.copyOf(ring.current().nodes()))).forEach(membership::answered);
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
            return runner.change(leaving.get() + (removal ? " is removed" : " is down"), next, Set.of(), !removal);
        }
        if (joining.isPresent()) {
            Set<String> next = new TreeSet<>(current);
            next.add(joining.get());
            return runner.change(joining.get() + " joins", next, Set.of(joining.get()), false);
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
            runner.resumeAt(reported.get().epoch());
        } else {
            nodesNow = membership.desiredRing();
        }
        HashRing formed = HashRing.of(nodesNow, virtualNodes);
        RingView view = runner.commitRing(formed);
        ring.publish(formed);
        runner.announce(view);
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
}
