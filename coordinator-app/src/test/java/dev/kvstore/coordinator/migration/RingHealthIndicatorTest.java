package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.model.RingView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class RingHealthIndicatorTest {

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final NodeDirectory directory = new NodeDirectory(membership, ring, url -> Optional.empty(), executor);
    private final Rebalancer rebalancer = new Rebalancer(membership, ring, new RebalancerTest.FakeNodes(),
            new WriteGate(), 16, clock, Duration.ofSeconds(3), Duration.ofSeconds(60));
    private final RingHealthIndicator health = new RingHealthIndicator(membership, directory, rebalancer);

    @AfterEach
    void close() {
        executor.close();
    }

    private void cluster(String... ids) {
        for (String id : ids) {
            membership.register(id, "http://" + id);
        }
        ring.publish(HashRing.of(List.of(ids), 16));
    }

    private void down(String... dead) {
        clock.advance(Duration.ofSeconds(4));
        List<String> gone = List.of(dead);
        membership.members().stream().filter(m -> !gone.contains(m.id())).forEach(m -> membership.heartbeat(m.id()));
        membership.reap();
    }

    @Test
    void noRingYetIsDown() {
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void whileTheRestartWaitHoldsTheRingItIsDownNamingTheMissingMembersAndTheTimeLeft() {
        RingView last = new RingView(9, List.of("a", "b", "c"));
        membership.register("a", "http://a", last);
        membership.register("b", "http://b", last);
        clock.advance(Duration.ofSeconds(5));
        rebalancer.tick();

        Health waiting = health.health();

        assertThat(waiting.getStatus()).isEqualTo(Status.DOWN);
        assertThat(waiting.getDetails()).containsKeys("ranges", "nodes", "migration");
        @SuppressWarnings("unchecked")
        Map<String, Object> formation = (Map<String, Object>) waiting.getDetails().get("formation");
        assertThat(formation).containsEntry("reportedEpoch", 9L).containsEntry("missing", Set.of("c"))
                .containsEntry("secondsLeft", 55L);
        assertThat((String) formation.get("waitingFor")).contains("c", "epoch 9", "55 s");

        membership.register("c", "http://c", last);
        rebalancer.tick();

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).doesNotContainKey("formation");
    }

    @Test
    void everyRangeWithTwoLiveCopiesIsUp() {
        cluster("a", "b", "c");

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aRangeWithOneLiveCopyIsDegraded() {
        cluster("a", "b", "c");
        down("b");

        assertThat(health.health().getStatus()).isEqualTo(RingHealthIndicator.DEGRADED);
    }

    @Test
    void aRangeWithNoLiveCopyIsDown() {
        cluster("a", "b", "c");
        down("a", "b");

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsKeys("ranges", "nodes", "migration");
    }
}
