package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.membership.ReplicaCoverage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The coordinator's health is the data's: DOWN when some range has no live copy (its keys cannot be
 * read), DEGRADED while some range has only one (readable, writes wait for re-replication), UP when
 * every range has two. Each node's state and the migration in progress are in the details, and,
 * until the ring has formed, what it waits for (the last ring's members missing, the time left).
 */
public class RingHealthIndicator implements HealthIndicator {

    /** One live copy somewhere: serving reads, not every write. Answers 200 unless mapped otherwise. */
    public static final Status DEGRADED = new Status("DEGRADED", "some ranges have a single live copy");

    private final Membership membership;
    private final NodeDirectory directory;
    private final Rebalancer rebalancer;

    public RingHealthIndicator(Membership membership, NodeDirectory directory, Rebalancer rebalancer) {
        this.membership = membership;
        this.directory = directory;
        this.rebalancer = rebalancer;
    }

    @Override
    public Health health() {
        ReplicaCoverage coverage = directory.coverage();
        Map<String, String> nodes = new LinkedHashMap<>();
        for (Member m : membership.members()) {
            nodes.put(m.id(), m.state().name());
        }
        Health.Builder health;
        if (!coverage.formed() || coverage.noCopy() > 0) {
            health = Health.down();
        } else if (coverage.oneCopy() > 0) {
            health = Health.status(DEGRADED);
        } else {
            health = Health.up();
        }
        health.withDetail("ranges", coverage).withDetail("nodes", nodes).withDetail("migration", rebalancer.status());
        rebalancer.formation().ifPresent(f -> health.withDetail("formation", formation(f)));
        return health.build();
    }

    private static Map<String, Object> formation(Formation formation) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("waitingFor", formation.describe());
        details.put("reportedEpoch", formation.reportedEpoch());
        details.put("missing", formation.missing());
        formation.timeLeft().ifPresent(left -> details.put("secondsLeft", formation.secondsLeft()));
        return details;
    }
}
