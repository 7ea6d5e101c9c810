package dev.kvstore.coordinator.txn;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues versions: above every version a replica voted, and never below the wall clock in
 * microseconds. The first keeps a key's versions increasing while the key exists; the second keeps
 * them increasing across deletes and coordinator restarts, where no stored version is left to
 * compare with (as long as the clock does not step back further than writes moved it forward).
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
