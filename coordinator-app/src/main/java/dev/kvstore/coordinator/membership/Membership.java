package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.group.GroupCommand;
import dev.kvstore.coordinator.group.GroupLog;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.RingView;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership table: registrations, heartbeats, reaping, and which nodes should be on the ring. The
 * leader's working copy: every change but a heartbeat is submitted to the coordinators' group log
 * before it takes effect here, and a new leader {@link #restore restores} the table from the group's
 * state.
 */
public final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final GroupLog group;
    private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
    private final Set<String> leaving = ConcurrentHashMap.newKeySet();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    /** id -> the instance token it registered with last, if it sent one. */
    private final ConcurrentHashMap<String, String> instanceTokens = new ConcurrentHashMap<>();
    private volatile Instant firstRegistration;
    private volatile RingView lastRing;
    /** Member URL -> {@link #endpoint}: URLs change only when a node restarts, so this stays small. */
    private final ConcurrentHashMap<String, String> endpoints = new ConcurrentHashMap<>();
    /** When the table was last restored from the group (null if never): a leader's start. */
    private volatile Instant restoredAt;
    /** When the previous reaping round ended (null before the first): the reaper's own pulse. */
    private volatile Instant lastReap;

    /** How many nodes may go DOWN in one round on their silence alone: every key keeps a copy. */
    public static final int SAFE_LOSSES = 1;

    /** How long ago the member was last heard from (never negative). */
    public Duration heartbeatAge(Member member) {
        Duration age = Duration.between(member.lastHeartbeat(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    public Membership(Clock clock, Duration heartbeatTimeout) {
        this(clock, heartbeatTimeout, GroupLog.NONE);
    }

    public Membership(Clock clock, Duration heartbeatTimeout, GroupLog group) {
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.group = group;
    }

    /**
     * Replaces the table with the group's: a new leader starts from what the group committed. Every node
     * the group has UP gets a full heartbeat timeout from now, since the heartbeats went to the old
     * leader; node-reported rings are forgotten (the group's ring, if it has one, is the ring). No member
     * is {@link Member#confirmed() confirmed} until it reaches this coordinator itself: after a whole-cluster
     * restart every node listens on a new port, so a refusal at the recorded URL proves nothing.
     */
    public synchronized void restore(GroupState.Snapshot state) {
        Instant now = clock.instant();
        members.clear();
        leaving.clear();
        removed.clear();
        instanceTokens.clear();
        lastRing = null;
        lastReap = null;
        firstRegistration = null;
        restoredAt = now;
        for (GroupState.Registration r : state.members()) {
            members.put(r.id(), Member.restored(r.id(), r.url(), r.up() ? NodeState.UP : NodeState.DOWN, now));
            if (r.instanceToken() != null) {
                instanceTokens.put(r.id(), r.instanceToken());
            }
            if (r.leaving()) {
                leaving.add(r.id());
            }
        }
        removed.addAll(state.removed());
        if (!members.isEmpty()) {
            firstRegistration = now;
        }
    }

    private void submit(GroupCommand command) {
        if (group.submit(command) instanceof GroupCommand.Result.Refused refused) {
            throw new IllegalStateException("the coordinator group refused " + command + ": " + refused.reason());
        }
    }

    /**
     * Registers a node, remembering the ring it reports, so the newest ring any node kept can be rebuilt
     * after a coordinator restart. An id that is UP at another URL is taken over only by a registration
     * carrying the same instance token: the same node (same data directory) restarted on a new port,
     * not a second node configured with the same id.
     *
     * @return whether the registration created a member (true) or refreshed one already known (false)
     * @throws NodeIdInUseException when another node holds the id while UP
     */
    public synchronized boolean register(String id, String url, String instanceToken, RingView reportedRing) {
        Member current = members.get(id);
        if (current != null && current.isUp() && current.url() != null && !current.url().equals(url)
                && (instanceToken == null || !instanceToken.equals(instanceTokens.get(id)))) {
            log.warn("nodeId={} registration from {} refused: the id is UP at {} and the registration does not carry "
                    + "that node's instance token", id, url, current.url());
            throw new NodeIdInUseException(id, current.url());
        }
        if (group.submit(new GroupCommand.Register(id, url, instanceToken)) instanceof GroupCommand.Result.Refused) {
            throw new NodeIdInUseException(id, current == null ? "another URL" : current.url());
        }
        if (reportedRing != null && (lastRing == null || reportedRing.epoch() > lastRing.epoch())) {
            lastRing = reportedRing;
        }
        if (instanceToken == null) {
            instanceTokens.remove(id);
        } else {
            instanceTokens.put(id, instanceToken);
        }
        return put(id, url);
    }

    /** {@link #register(String, String, String, RingView)} for a node that sends no instance token. */
    public boolean register(String id, String url, RingView reportedRing) {
        return register(id, url, null, reportedRing);
    }

    /** {@link #register(String, String, String, RingView)} for a node that sends no instance token or ring. */
    public boolean register(String id, String url) {
        return register(id, url, null, null);
    }

    private boolean put(String id, String url) {
        removed.remove(id);
        String endpoint = endpoint(URI.create(url));
        for (Member other : members.values()) {
            if (!other.id().equals(id) && other.url() != null && endpointOf(other).equals(endpoint)) {
                // A port freed by a restart now serves this node: calls meant for the other must not reach it.
                members.computeIfPresent(other.id(), (key, m) -> m.displaced());
                log.warn("nodeId={} registered at {}, the address recorded for nodeId={}: that node has no address "
                        + "until it registers again", id, url, other.id());
            }
        }
        Member previous = members.put(id, new Member(id, url, NodeState.UP, clock.instant()));
        if (firstRegistration == null) {
            firstRegistration = clock.instant();
        }
        if (previous == null) {
            log.info("nodeId={} registered at {}", id, url);
            return true;
        }
        // A ring member recorded missing (addMissing) has no URL until now.
        if (!url.equals(previous.url()) || !previous.isUp()) {
            log.info("nodeId={} registered again at {} (was {} at {})", id, url, previous.state(), previous.url());
        }
        return false;
    }

    /** What a heartbeat found. */
    public enum Heartbeat {
        /** Recorded. */
        OK,
        /** The node is not registered: it should register again. */
        UNKNOWN,
        /** The node was removed from the cluster: it should stop, not register again. */
        REMOVED
    }

    /** Records a heartbeat and the state it carries (null: a node that can write). */
    public Heartbeat beat(String id, NodeHeartbeat state) {
        if (removed.contains(id)) {
            return Heartbeat.REMOVED;
        }
        return heartbeat(id, state) ? Heartbeat.OK : Heartbeat.UNKNOWN;
    }

    /** {@link #heartbeat(String, NodeHeartbeat)} from a node that can write. */
    public boolean heartbeat(String id) {
        return heartbeat(id, null);
    }

    /**
     * Records a heartbeat; false when the node is not registered (it should register again), including
     * a ring member known only from the ring the nodes reported: it has no URL until it registers. A node
     * that says its log cannot write stays out of the write path: UP but not writable, and DOWN stays DOWN
     * (its ranges failed over) until it says it writes again, when it comes back as a returning node does.
     */
    public boolean heartbeat(String id, NodeHeartbeat state) {
        Member known = members.get(id);
        if (known == null || known.url() == null) {
            return false;
        }
        boolean writable = state == null || state.canWrite();
        String why = state == null ? null : state.notWritableReason();
        boolean full = state != null && state.isDiskFull();
        Instant now = clock.instant();
        if (!known.isUp() && writable) {
            submit(new GroupCommand.MarkUp(id));
        }
        Member updated = members.computeIfPresent(id, (key, m) -> {
            if (!m.isUp() && !writable) {
                return m.reported(false, why, full, now);
            }
            if (!m.isUp()) {
                log.info("nodeId={} is UP again", id);
            }
            if (m.notWritable() == null && !writable) {
                log.warn("nodeId={} says its log cannot make writes durable ({}): out of the write path; failed over "
                        + "if it still cannot in {} s", id, why, heartbeatTimeout.toSeconds());
            } else if (m.notWritable() != null && writable) {
                log.info("nodeId={} says its log writes again (it could not since {})", id, m.notWritableSince());
            }
            if (m.diskFull() != full) {
                log.info("nodeId={} {}", id, full ? "is below its disk's high watermark: it refuses new values (507)"
                        : "has disk space above its high watermark again");
            }
            return m.withState(NodeState.UP).heardAt(now).reported(writable, why, full, now).confirm();
        });
        return updated != null;
    }

    /**
     * The node answered a call at its recorded URL: it counts as heard from, though not as having reached
     * this coordinator itself (whatever answers at that URL may since be another process). A DOWN node
     * stays DOWN until it registers or sends a heartbeat.
     */
    public void answered(String id) {
        Instant now = clock.instant();
        members.computeIfPresent(id, (key, m) -> m.isUp() ? m.heardAt(now) : m);
    }

    /** When this coordinator last restored the table from the group, taking over as leader. */
    public Optional<Instant> restoredAt() {
        return Optional.ofNullable(restoredAt);
    }

    /** Marks DOWN every UP node whose last heartbeat is older than the timeout; returns them. */
    public List<Member> reap() {
        return reap(NodeProbe.NONE);
    }

    /**
     * Marks DOWN every UP node whose last heartbeat is older than the timeout; returns them. Not on
     * evidence that is none. A round that starts more than half a heartbeat timeout after the previous one
     * ended finds this coordinator was not running (paused, as by SIGSTOP or a long GC, or starved): it
     * read no heartbeats meanwhile, so every UP node gets a fresh timeout instead. And when more nodes
     * expire in one round than every key can lose with a copy left ({@value #SAFE_LOSSES}: each key has
     * two), each is asked directly first ({@code probe}); those that answer count as heard from.
     */
    public List<Member> reap(NodeProbe probe) {
        Instant now = clock.instant();
        Instant previous = lastReap;
        try {
            if (previous != null && Duration.between(previous, now).compareTo(heartbeatTimeout.dividedBy(2)) > 0) {
                refreshAll(now);
                log.warn("the reaper ran {} ms after its previous round: this coordinator was paused or starved and read no "
                        + "heartbeats meanwhile, so every UP node gets a fresh heartbeat timeout",
                        Duration.between(previous, now).toMillis());
                return List.of();
            }
            Instant deadline = now.minus(heartbeatTimeout);
            List<Member> expired = members.values().stream()
                    .filter(m -> m.isUp() && m.lastHeartbeat().isBefore(deadline))
                    .sorted(Comparator.comparing(Member::id))
                    .toList();
            Set<String> answering = expired.size() > SAFE_LOSSES ? probe.answering(expired) : Set.of();
            List<Member> reaped = new ArrayList<>();
            for (Member m : members.values().stream().sorted(Comparator.comparing(Member::id)).toList()) {
                if (m.isUp() && m.notWritableSince() != null && m.notWritableSince().isBefore(deadline)
                        && !expired.contains(m)) {
                    markDown(m, "its log has not made writes durable since " + m.notWritableSince() + " ("
                            + m.notWritable() + "); its ranges are failed over until it writes again")
                            .ifPresent(reaped::add);
                }
            }
            for (Member m : expired) {
                if (answering.contains(m.id())) {
                    members.replace(m.id(), m, m.heardAt(clock.instant()));
                    log.warn("nodeId={} sent no heartbeat since {} but answered when asked directly: kept UP", m.id(),
                            m.lastHeartbeat());
                    continue;
                }
                markDown(m, "no heartbeat since " + m.lastHeartbeat()).ifPresent(reaped::add);
            }
            return reaped;
        } finally {
            lastReap = clock.instant();
        }
    }

    /**
     * Marks the node DOWN now, if it is UP, on evidence other than its silence ({@code why}, for the log);
     * returns whether it did.
     */
    public boolean markDown(String id, String why) {
        Member m = members.get(id);
        return m != null && m.isUp() && markDown(m, why).isPresent();
    }

    private Optional<Member> markDown(Member m, String why) {
        submit(new GroupCommand.MarkDown(m.id()));
        Member down = m.withState(NodeState.DOWN);
        if (!members.replace(m.id(), m, down)) {
            return Optional.empty();
        }
        log.warn("nodeId={} marked DOWN: {}", m.id(), why);
        return Optional.of(down);
    }

    private void refreshAll(Instant now) {
        members.replaceAll((id, m) -> m.isUp() ? m.heardAt(now) : m);
    }

    public Optional<Member> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    /**
     * The member recorded at the host and port of {@code target} (a URL on some node), if any: at most one,
     * since a registration takes its address away from any other member recorded there.
     */
    public Optional<Member> memberAt(URI target) {
        String wanted = endpoint(target);
        for (Member m : members.values()) {
            if (m.url() != null && endpointOf(m).equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Every call to a node asks (NodeCallStamping): each member's URL is parsed once, not per call. */
    private String endpointOf(Member m) {
        return endpoints.computeIfAbsent(m.url(), url -> endpoint(URI.create(url)));
    }

    /** Lower-case host and port (the scheme's default when none is given). */
    static String endpoint(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return host + ":" + port(url);
    }

    static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    public List<Member> members() {
        return members.values().stream().sorted(Comparator.comparing(Member::id)).toList();
    }

    /** The nodes the ring should hold: every live node not being removed. */
    public Set<String> desiredRing() {
        Set<String> desired = new TreeSet<>();
        members.values().stream().filter(m -> m.isUp() && !leaving.contains(m.id())).forEach(m -> desired.add(m.id()));
        return desired;
    }

    public Set<String> live() {
        Set<String> live = new TreeSet<>();
        members.values().stream().filter(Member::isUp).forEach(m -> live.add(m.id()));
        return live;
    }

    /** The live nodes whose logs make writes durable: the copies a write can reach. */
    public Set<String> writable() {
        Set<String> writable = new TreeSet<>();
        members.values().stream().filter(Member::isWritable).forEach(m -> writable.add(m.id()));
        return writable;
    }

    /** Starts a graceful removal: the node leaves the ring (its data moved away), then the table. */
    public boolean markLeaving(String id) {
        if (!members.containsKey(id)) {
            return false;
        }
        submit(new GroupCommand.MarkLeaving(id));
        leaving.add(id);
        log.info("nodeId={} is leaving the cluster", id);
        return true;
    }

    /** Whether the node left through {@code DELETE /nodes/{id}} and has not registered since. */
    public boolean isRemoved(String id) {
        return removed.contains(id);
    }

    public boolean isLeaving(String id) {
        return leaving.contains(id);
    }

    /** Forgets a node that has left the ring. */
    public void remove(String id) {
        submit(new GroupCommand.Remove(id));
        members.remove(id);
        instanceTokens.remove(id);
        leaving.remove(id);
        removed.add(id);
        log.info("nodeId={} removed from the cluster", id);
    }

    /** The newest ring any registered node reported: the ring as it was before this coordinator started. */
    public Optional<RingView> lastRing() {
        return Optional.ofNullable(lastRing);
    }

    /**
     * Records a ring member that has not registered (it was down when this coordinator started): DOWN,
     * with no URL, until it registers.
     */
    public void addMissing(String id) {
        if (members.containsKey(id)) {
            return;
        }
        submit(new GroupCommand.AddMissing(id));
        if (members.putIfAbsent(id, new Member(id, null, NodeState.DOWN, clock.instant())) == null) {
            log.warn("nodeId={} is on the ring the nodes reported but has not registered: DOWN", id);
        }
    }

    /** When the first node registered with this coordinator, if one has. */
    public Optional<Instant> firstRegistration() {
        return Optional.ofNullable(firstRegistration);
    }
}
