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

    /**
     * The instant's epoch millisecond, rounded up: an outcome whose rounded time is below a cutoff's
     * rounded time was decided before the cutoff, exactly.
     */
    static long millisRoundedUp(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
