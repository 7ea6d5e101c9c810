package dev.kvstore.coordinator.group;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code kv.coordinator.leader} (1 while this coordinator leads and serves, else 0),
 * {@code kv.coordinator.term} (the group's Raft term as this member knows it) and
 * {@code kv.coordinator.leader.changes} (takeovers and losses of the lead seen here).
 */
public final class GroupMetrics implements MeterBinder {

    private final GroupServer group;

    public GroupMetrics(GroupServer group) {
        this.group = group;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kv.coordinator.leader", group, g -> g.leadership().serves() ? 1 : 0)
                .description("1 while this coordinator leads the group and serves, else 0").register(registry);
        Gauge.builder("kv.coordinator.term", group, GroupServer::term)
                .description("the coordinator group's Raft term as this member knows it").register(registry);
        FunctionCounter.builder("kv.coordinator.leader.changes", group, GroupServer::leaderChanges)
                .description("times this coordinator took over as leader or stopped leading").register(registry);
    }
}
