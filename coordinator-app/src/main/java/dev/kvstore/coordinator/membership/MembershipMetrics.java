package dev.kvstore.coordinator.membership;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * {@code kv.nodes} by state and {@code kv.ring.ranges} by live copies (the basis of the {@code ring}
 * health), computed from the membership table and the ring when scraped.
 */
public final class MembershipMetrics implements MeterBinder {

    private static final List<String> STATES = List.of("UP", "JOINING", "LEAVING", "DOWN");

    private final Membership membership;
    private final NodeDirectory directory;

    public MembershipMetrics(Membership membership, NodeDirectory directory) {
        this.membership = membership;
        this.directory = directory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String state : STATES) {
            Gauge.builder("kv.nodes", this, m -> m.count(state)).tag("state", state.toLowerCase(Locale.ROOT))
                    .description("registered nodes by state").register(registry);
        }
        ranges(registry, "2", ReplicaCoverage::twoCopies);
        ranges(registry, "1", ReplicaCoverage::oneCopy);
        ranges(registry, "0", ReplicaCoverage::noCopy);
    }

    private void ranges(MeterRegistry registry, String copies, ToLongFunction<ReplicaCoverage> count) {
        Gauge.builder("kv.ring.ranges", directory, d -> count.applyAsLong(d.coverage())).tag("copies", copies)
                .description("ring arcs by live copies: 2 healthy, 1 readable only, 0 unreadable")
                .register(registry);
    }

    private long count(String state) {
        return membership.members().stream().filter(m -> directory.displayState(m).equals(state)).count();
    }
}
