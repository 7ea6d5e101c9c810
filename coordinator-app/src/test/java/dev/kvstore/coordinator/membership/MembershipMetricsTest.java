package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipMetricsTest {

    private static final int VNODES = 16;

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final NodeDirectory directory = new NodeDirectory(membership, ring, url -> Optional.empty(), executor);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void bind() {
        new MembershipMetrics(membership, directory).bindTo(registry);
    }

    @AfterEach
    void close() {
        executor.close();
    }

    private double nodes(String state) {
        return registry.get("kv.nodes").tag("state", state).gauge().value();
    }

    private double ranges(String copies) {
        return registry.get("kv.ring.ranges").tag("copies", copies).gauge().value();
    }

    @Test
    void nodesAreCountedByTheStateGetNodesShows() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        membership.register("c", "http://c");
        membership.register("d", "http://d");
        ring.publish(HashRing.of(List.of("a", "b", "c"), VNODES));
        membership.markLeaving("b");
        clock.advance(Duration.ofSeconds(4));
        List.of("a", "b", "d").forEach(membership::heartbeat);
        membership.reap();

        assertThat(nodes("up")).isEqualTo(1);
        assertThat(nodes("leaving")).isEqualTo(1);
        assertThat(nodes("down")).isEqualTo(1);
        assertThat(nodes("joining")).isEqualTo(1);
    }

    @Test
    void rangesAreCountedByLiveCopies() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        membership.register("c", "http://c");
        ring.publish(HashRing.of(List.of("a", "b", "c"), VNODES));

        assertThat(ranges("2")).isEqualTo(3 * VNODES);
        assertThat(ranges("1")).isZero();

        clock.advance(Duration.ofSeconds(4));
        List.of("a", "b").forEach(membership::heartbeat);
        membership.reap();

        // c's own arcs and the arcs it replicates have one live copy left; none has zero.
        assertThat(ranges("1")).isPositive();
        assertThat(ranges("2") + ranges("1")).isEqualTo(3 * VNODES);
        assertThat(ranges("0")).isZero();
    }
}
