package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class NodesHealthIndicatorTest {

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final NodeDirectory directory = new NodeDirectory(membership, ring, url -> Optional.empty(), executor);
    private final NodesHealthIndicator health = new NodesHealthIndicator(membership, directory, clock);

    @AfterEach
    void close() {
        executor.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Health health, String id) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("nodes")).get(id);
    }

    @Test
    void noNodeRegisteredIsDown() {
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void everyNodeShowsItsStateUrlAndHeartbeatAge() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        membership.register("c", "http://c");
        ring.publish(HashRing.of(List.of("a", "b"), 16));
        membership.markLeaving("b");
        clock.advance(Duration.ofMillis(1500));
        membership.heartbeat("c");

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.UP);
        assertThat(node(answer, "a")).containsEntry("state", "UP").containsEntry("url", "http://a")
                .containsEntry("secondsSinceHeartbeat", 1.5);
        assertThat(node(answer, "b")).containsEntry("state", "LEAVING");
        assertThat(node(answer, "c")).containsEntry("state", "JOINING").containsEntry("secondsSinceHeartbeat", 0.0);
    }

    @Test
    void oneNodeDownLeavesItUpWhileAnotherIsLive() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        ring.publish(HashRing.of(List.of("a", "b"), 16));
        clock.advance(Duration.ofSeconds(4));
        membership.heartbeat("a");
        membership.reap();

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.UP);
        assertThat(node(answer, "b")).containsEntry("state", "DOWN").containsEntry("secondsSinceHeartbeat", 4.0);
        assertThat(answer.getDetails()).containsEntry("live", 1).containsEntry("registered", 2);
    }

    @Test
    void everyNodeSilentIsDown() {
        membership.register("a", "http://a");
        clock.advance(Duration.ofSeconds(4));
        membership.reap();

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
