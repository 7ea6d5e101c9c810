package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.ring.RingHolder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The ring in use ({@code kv.ring.size}, {@code kv.ring.epoch}) and the ring change in progress
 * ({@code kv.migration.*}: 0 when none is), read from the rebalancer when scraped.
 */
public final class MigrationMetrics implements MeterBinder {

    private final Rebalancer rebalancer;
    private final RingHolder ring;

    public MigrationMetrics(Rebalancer rebalancer, RingHolder ring) {
        this.rebalancer = rebalancer;
        this.ring = ring;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kv.ring.size", ring, r -> r.current().size())
                .description("nodes on the ring requests are routed by").register(registry);
        Gauge.builder("kv.ring.epoch", rebalancer, Rebalancer::epoch)
                .description("epoch of the ring last published; increases with every ring change").register(registry);
        Gauge.builder("kv.migration.active", rebalancer, r -> r.status().change() == null ? 0 : 1)
                .description("1 while a ring change (join, leave, failover) is moving data").register(registry);
        Gauge.builder("kv.migration.steps.planned", rebalancer, Rebalancer::stepsTotal)
                .description("node calls the ring change in progress needs").register(registry);
        Gauge.builder("kv.migration.steps.done", rebalancer, Rebalancer::stepsDone)
                .description("node calls of the ring change in progress done so far").register(registry);
        Gauge.builder("kv.migration.keys.planned", rebalancer, r -> r.status().keysToMove())
                .description("keys the ring change in progress copies or moves").register(registry);
        Gauge.builder("kv.migration.keys.moved", rebalancer, r -> r.status().keysMoved())
                .description("keys the ring change in progress has copied or moved so far").register(registry);
    }
}
