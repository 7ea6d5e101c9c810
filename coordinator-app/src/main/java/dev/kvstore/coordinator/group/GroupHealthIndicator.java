package dev.kvstore.coordinator.group;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code coordinators} health: DOWN while this member knows no leader (requests get 503), DEGRADED
 * while the leader has not heard from a member for twice the election timeout (the group serves, with
 * less room for another failure), UP otherwise. Each member's role is in the details.
 */
public final class GroupHealthIndicator implements HealthIndicator {

    /** Answered 200, like the ring's DEGRADED. */
    public static final Status DEGRADED = new Status("DEGRADED", "a coordinator is unreachable");

    private final GroupServer group;

    public GroupHealthIndicator(GroupServer group) {
        this.group = group;
    }

    @Override
    public Health health() {
        List<GroupServer.CoordinatorStatus> members = group.members();
        String leader = group.leaderId();
        Map<String, Object> details = new LinkedHashMap<>();
        for (GroupServer.CoordinatorStatus member : members) {
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("role", member.role());
            if (member.url() != null) {
                about.put("url", member.url());
            }
            if (member.lastContactMillis() != null) {
                about.put("lastContactMillis", member.lastContactMillis());
            }
            details.put(member.id(), about);
        }
        Health.Builder health;
        if (leader == null) {
            health = Health.down().withDetail("reason", "no coordinator leads the group (an election is under way, or "
                    + "fewer than a majority of the coordinators are up)");
        } else if (group.leadership().serves() && members.stream().anyMatch(m -> m.role().equals("UNKNOWN"))) {
            health = Health.status(DEGRADED);
        } else {
            health = Health.up();
        }
        return health.withDetail("self", group.id()).withDetail("leader", leader == null ? "none" : leader)
                .withDetail("term", group.term()).withDetail("members", details).build();
    }
}
