package dev.kvstore.node.replica;

import dev.kvstore.model.TxnState;
import java.time.Instant;

/**
 * A decided transaction: its state, the version it committed at (0 for an abort), and when it was
 * decided, to the millisecond, rounded up so that it is forgotten late rather than early.
 */
public record Outcome(TxnState state, long version, long decidedAtMillis) {

    public Outcome(TxnState state, long version, Instant decidedAt) {
        this(state, version, millisRoundedUp(decidedAt));
    }

    public Instant decidedAt() {
        return Instant.ofEpochMilli(decidedAtMillis);
    }

    /** Whether it was decided before {@code cutoff}: exact for an instant rounded up as here. */
    public boolean decidedBefore(Instant cutoff) {
        return decidedAtMillis < millisRoundedUp(cutoff);
    }

    static long millisRoundedUp(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
