package dev.kvstore.coordinator.txn;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues versions before a write is prepared: never below the wall clock in microseconds, above every
 * version issued before, and above what a replica reported when it refused one as not new enough
 * ({@code STALE_VERSION}). The clock keeps a key's versions increasing across deletes and coordinator
 * restarts, where no stored version is left to compare with; the refusal covers a clock that stepped
 * back or another coordinator's that ran ahead.
 */
public final class VersionClock {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public VersionClock(Clock clock) {
        this.clock = clock;
    }

    /** A version greater than {@code above}, than the clock reading, and than any issued before. */
    public long next(long above) {
        long now = clock.millis() * 1000;
        return last.updateAndGet(previous -> Math.max(Math.max(previous + 1, now), above + 1));
    }
}
