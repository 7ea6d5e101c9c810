package dev.kvstore.coordinator.txn.model;

import java.util.function.Supplier;

/**
 * The rules of a commit protocol, as the {@link Explorer} needs them: the initial state of a scenario and
 * every step enabled in a state (message deliveries, losses and duplicates, timeouts, crashes, timers).
 * States must be immutable values (equals and hashCode over their content), so that the explorer can
 * tell a state it has seen.
 */
public interface Protocol<S extends Observed> {

    /**
     * Receives one enabled step: its label for traces (built only if a trace needs it: most steps lead
     * to states seen before) and the state it leads to.
     */
    @FunctionalInterface
    interface Steps<S> {
        void step(Supplier<String> label, S next);
    }

    String name();

    S initial(Scenario scenario, Bounds bounds);

    void next(S state, Steps<S> steps);
}
