package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationMetricsTest {

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The gauges as seen from inside each copy: active, steps done, steps total. */
    private final List<List<Double>> seenDuringCopies = new ArrayList<>();
    private final RebalancerTest.FakeNodes fake = new RebalancerTest.FakeNodes();
    private final MigrationTransport nodes = new MigrationTransport() {
        @Override
        public long copy(String targetUrl, Table targetTable, String sourceUrl, Table sourceTable,
                         List<HashRange> ranges) {
            seenDuringCopies.add(List.of(gauge("kv.migration.active"), gauge("kv.migration.steps.done"),
                    gauge("kv.migration.steps.planned")));
            return fake.copy(targetUrl, targetTable, sourceUrl, sourceTable, ranges);
        }

        @Override
        public long move(String url, Table from, Table to, List<HashRange> ranges) {
            return fake.move(url, from, to, ranges);
        }

        @Override
        public long drop(String url, Table table, List<HashRange> ranges) {
            return fake.drop(url, table, ranges);
        }

        @Override
        public long count(String url, Table table, List<HashRange> ranges) {
            return fake.count(url, table, ranges);
        }

        @Override
        public void announceRing(String url, RingView view) {
            fake.announceRing(url, view);
        }
    };
    private final Rebalancer rebalancer = new Rebalancer(membership, ring, nodes, new WriteGate(), 16, clock,
            Duration.ofSeconds(3), Duration.ofSeconds(60));

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void aRingChangeShowsItsStepsWhileRunningAndNothingOnceDone() {
        new MigrationMetrics(rebalancer, ring).bindTo(registry);
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        clock.advance(Duration.ofSeconds(3));
        rebalancer.tick();
        assertThat(gauge("kv.ring.size")).isEqualTo(2);
        double formedEpoch = gauge("kv.ring.epoch");
        assertThat(formedEpoch).isPositive();

        membership.register("c", "http://c");
        assertThat(rebalancer.tick()).isTrue();

        assertThat(seenDuringCopies).isNotEmpty().allSatisfy(seen -> {
            assertThat(seen.get(0)).isEqualTo(1.0);
            assertThat(seen.get(1)).isLessThan(seen.get(2));
        });
        // Each copy sees one more step done than the one before.
        for (int i = 1; i < seenDuringCopies.size(); i++) {
            assertThat(seenDuringCopies.get(i).get(1)).isEqualTo(seenDuringCopies.get(i - 1).get(1) + 1);
        }
        assertThat(gauge("kv.migration.active")).isZero();
        assertThat(gauge("kv.migration.steps.planned")).isZero();
        assertThat(gauge("kv.ring.size")).isEqualTo(3);
        assertThat(gauge("kv.ring.epoch")).isEqualTo(formedEpoch + 1);
    }
}
