package dev.kvstore.coordinator.group;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health component only the leader can judge (the nodes, the ring: its working state): on any other
 * member UNKNOWN, naming the leader to ask, so that a follower's health says what it knows and stays
 * ready while the group has a leader.
 */
public final class LeaderOnlyHealth implements HealthIndicator {

    private final HealthIndicator leaders;
    private final GroupServer group;

    public LeaderOnlyHealth(HealthIndicator leaders, GroupServer group) {
        this.leaders = leaders;
        this.group = group;
    }

    @Override
    public Health health() {
        if (group.leadership().serves()) {
            return leaders.health();
        }
        String leader = group.leaderId();
        return Health.unknown().withDetail("reason", leader == null || leader.equals(group.id())
                        ? "no coordinator serves as the group's leader yet"
                        : "coordinator " + group.id() + " follows " + leader + "; the leader's health has this component")
                .withDetail("leader", leader == null ? "none" : leader).build();
    }
}
