package dev.kvstore.coordinator.membership;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The coordinator's {@code nodes} health: every registered node with its state (UP, JOINING, LEAVING,
 * DOWN), URL, seconds since its last heartbeat, whether its log can write (and why not) and whether its
 * disk is below the high watermark. UP while some node is live, DOWN when none is (none
 * registered yet, or all silent). A single node down is not this component's verdict: whether the data
 * is still served is the {@code ring} component's.
 */
public final class NodesHealthIndicator implements HealthIndicator {

    private final Membership membership;
    private final NodeDirectory directory;
    private final Clock clock;

    public NodesHealthIndicator(Membership membership, NodeDirectory directory, Clock clock) {
        this.membership = membership;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public Health health() {
        List<Member> members = membership.members();
        Map<String, Object> nodes = new LinkedHashMap<>();
        boolean anyLive = false;
        for (Member m : members) {
            anyLive |= m.isUp();
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("state", directory.displayState(m));
            node.put("url", m.url());
            long millis = Duration.between(m.lastHeartbeat(), clock.instant()).toMillis();
            node.put("secondsSinceHeartbeat", Math.round(millis / 100.0) / 10.0);
            node.put("writable", m.notWritable() == null);
            if (m.notWritable() != null) {
                node.put("notWritableReason", m.notWritable());
            }
            if (m.diskFull()) {
                node.put("diskFull", true);
            }
            nodes.put(m.id(), node);
        }
        Health.Builder health = anyLive ? Health.up() : Health.down();
        return health.withDetail("live", membership.live().size()).withDetail("registered", members.size())
                .withDetail("nodes", nodes).build();
    }
}
