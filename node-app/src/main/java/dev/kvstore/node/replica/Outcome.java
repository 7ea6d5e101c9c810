package dev.kvstore.node.replica;

import dev.kvstore.model.TxnState;
import java.time.Instant;

/**
 * A decided transaction. The time is held as nanoseconds since the epoch (exact; saturated beyond
 * the years 1678 and 2262, which no clock reaches) rather than as an {@link Instant}, 24 bytes less
 * for each of the outcomes kept.
 */
public record Outcome(TxnState state, long version, long decidedAtNanos) {

    public Outcome(TxnState state, long version, Instant decidedAt) {
        this(state, version, epochNanos(decidedAt));
    }

    public Instant decidedAt() {
        return Instant.ofEpochSecond(0, decidedAtNanos);
    }

    public static long epochNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + instant.getNano();
    }
}
