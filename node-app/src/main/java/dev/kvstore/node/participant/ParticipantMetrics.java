package dev.kvstore.node.participant;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The participant's votes, decisions and transactions in doubt, read from its counters when scraped. */
public final class ParticipantMetrics implements MeterBinder {

    private final Participant participant;

    public ParticipantMetrics(Participant participant) {
        this.participant = participant;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kv.participant.prepares", participant, p -> p.stats().votesYes()).tag("vote", "yes")
                .description("prepares answered").register(registry);
        FunctionCounter.builder("kv.participant.prepares", participant, p -> p.stats().votesNo()).tag("vote", "no")
                .description("prepares answered").register(registry);
        FunctionCounter.builder("kv.participant.commits", participant, p -> p.stats().commits())
                .description("transactions committed here").register(registry);
        FunctionCounter.builder("kv.participant.aborts", participant, p -> p.stats().aborts())
                .description("transactions aborted here").register(registry);
        Gauge.builder("kv.participant.in_doubt", participant, Participant::inDoubt)
                .description("transactions prepared here and not decided yet (their keys are held)")
                .register(registry);
    }
}
