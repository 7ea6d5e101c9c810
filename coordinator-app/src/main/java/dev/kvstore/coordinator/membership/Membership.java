package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.ring.HashRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The membership table: registrations, heartbeats, reaping, and the ring they imply. */
public final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final int virtualNodes;
    private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
    private volatile HashRing ring = HashRing.empty();

    public Membership(Clock clock, Duration heartbeatTimeout, int virtualNodes) {
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.virtualNodes = virtualNodes;
    }

    /** Whether the registration created a member (true) or refreshed one already known (false). */
    public synchronized boolean register(String id, String url) {
        Member previous = members.put(id, new Member(id, url, NodeState.UP, clock.instant()));
        if (previous == null) {
            ring = HashRing.of(members.keySet(), virtualNodes);
            log.info("nodeId={} registered at {}; ring now has {} nodes", id, url, ring.size());
            return true;
        }
        if (!previous.url().equals(url) || !previous.isUp()) {
            log.info("nodeId={} registered again at {} (was {} at {})", id, url, previous.state(), previous.url());
        }
        return false;
    }

    /** Records a heartbeat; false when the node is not registered (it should register again). */
    public boolean heartbeat(String id) {
        Member updated = members.computeIfPresent(id, (key, m) -> {
            if (!m.isUp()) {
                log.info("nodeId={} is UP again", id);
            }
            return new Member(id, m.url(), NodeState.UP, clock.instant());
        });
        return updated != null;
    }

    /** Marks DOWN every UP node whose last heartbeat is older than the timeout; returns them. */
    public List<Member> reap() {
        Instant deadline = clock.instant().minus(heartbeatTimeout);
        List<Member> reaped = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.isUp() && m.lastHeartbeat().isBefore(deadline)) {
                Member down = new Member(m.id(), m.url(), NodeState.DOWN, m.lastHeartbeat());
                if (members.replace(m.id(), m, down)) {
                    reaped.add(down);
                    log.warn("nodeId={} marked DOWN: no heartbeat since {}", m.id(), m.lastHeartbeat());
                }
            }
        }
        return reaped;
    }

    public Optional<Member> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    public List<Member> members() {
        return members.values().stream().sorted(Comparator.comparing(Member::id)).toList();
    }

    public HashRing ring() {
        return ring;
    }
}
