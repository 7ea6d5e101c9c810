package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two-phase commit meters: decisions ({@code kv.txn.commits}, {@code kv.txn.aborts} by reason), phase
 * latencies ({@code kv.txn.phase}), and the registry's open transactions. Every meter is registered
 * up front, so recording is a lookup-free increment.
 */
public final class TxnMetrics implements TxnObserver {

    private final Timer prepare;
    private final Timer commit;
    private final Timer abort;
    private final Counter confirmed;
    private final Counter unconfirmed;
    private final Map<AbortReason, Counter> aborts = new EnumMap<>(AbortReason.class);

    public TxnMetrics(MeterRegistry meters, TxnRegistry registry) {
        prepare = phase(meters, "prepare");
        commit = phase(meters, "commit");
        abort = phase(meters, "abort");
        confirmed = Counter.builder("kv.txn.commits").tag("confirmed", "true")
                .description("writes committed; confirmed=false: a replica did not acknowledge the first COMMIT (re-sent)")
                .register(meters);
        unconfirmed = Counter.builder("kv.txn.commits").tag("confirmed", "false")
                .description("writes committed; confirmed=false: a replica did not acknowledge the first COMMIT (re-sent)")
                .register(meters);
        for (AbortReason reason : AbortReason.values()) {
            aborts.put(reason, Counter.builder("kv.txn.aborts").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("writes decided abort, by why").register(meters));
        }
        Gauge.builder("kv.txn.in_flight", registry, TxnRegistry::undecided)
                .description("transactions prepared and not decided yet").register(meters);
        for (TxnState decision : new TxnState[] {TxnState.COMMITTED, TxnState.ABORTED}) {
            Gauge.builder("kv.txn.unacknowledged", registry, r -> r.unacknowledged(decision))
                    .tag("decision", decision.name().toLowerCase(Locale.ROOT))
                    .description("decisions some replica has not acknowledged yet; re-sent until it does")
                    .register(meters);
        }
    }

    private static Timer phase(MeterRegistry meters, String phase) {
        return Timer.builder("kv.txn.phase").tag("phase", phase)
                .description("how long a two-phase commit phase took, over both replicas")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
    }

    @Override
    public void prepared(long nanos) {
        prepare.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void committed(long nanos, boolean acknowledged) {
        commit.record(nanos, TimeUnit.NANOSECONDS);
        (acknowledged ? confirmed : unconfirmed).increment();
    }

    @Override
    public void aborted(AbortReason reason, long nanos) {
        abort.record(nanos, TimeUnit.NANOSECONDS);
        aborts.get(reason).increment();
    }
}
