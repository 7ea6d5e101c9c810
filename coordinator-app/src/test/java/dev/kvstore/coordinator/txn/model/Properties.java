package dev.kvstore.coordinator.txn.model;

import dev.kvstore.coordinator.txn.model.Observed.Answer;
import dev.kvstore.coordinator.txn.model.Observed.Decision;
import java.util.Optional;

/**
 * The safety properties, checked in every reachable state (so "never later" is "in no state reachable
 * from here"): the replicas agree, an acknowledged write is never aborted, a refused one never committed,
 * and no replica that answers reads is behind an acknowledged version.
 */
public final class Properties {

    private Properties() {
    }

    /** The first property {@code state} violates, described; empty when it satisfies them all. */
    public static Optional<String> violated(Observed state) {
        for (int t = 0; t < state.transactions(); t++) {
            boolean committed = false;
            boolean aborted = false;
            for (int r = 0; r < state.replicas(); r++) {
                Decision d = state.decision(r, t);
                committed |= d == Decision.COMMITTED;
                aborted |= d == Decision.ABORTED;
            }
            if (committed && aborted) {
                return Optional.of("replicas disagree: T" + t + " is COMMITTED on one replica and ABORTED on another");
            }
            if (state.answer(t) == Answer.WRITTEN && aborted) {
                return Optional.of("T" + t + " was answered WRITTEN but a replica recorded ABORT");
            }
            if (state.answer(t) == Answer.NOT_WRITTEN && committed) {
                return Optional.of("T" + t + " was answered NOT WRITTEN (412/503) but a replica recorded COMMIT");
            }
        }
        long acknowledged = state.acknowledgedVersion();
        for (int r = 0; r < state.replicas(); r++) {
            long readable = state.readableVersion(r);
            if (readable >= 0 && readable < acknowledged) {
                return Optional.of("a read of replica " + Names.replica(r) + " returns version " + readable
                        + ", older than version " + acknowledged + " acknowledged to a client");
            }
        }
        return Optional.empty();
    }
}
