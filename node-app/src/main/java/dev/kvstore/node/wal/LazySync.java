package dev.kvstore.node.wal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Makes records nobody waits for durable soon: each rides on the next group commit someone waits for, and
 * if none has covered it within {@link #DELAY}, a virtual thread waits for it, leading an fsync of its own.
 * Under load that costs no fsync; idle, one per {@link #DELAY} at most.
 */
final class LazySync {

    /** How long a record nobody waits for may wait for someone else's group commit. */
    static final Duration DELAY = Duration.ofMillis(10);

    private final LongConsumer awaitDurable;
    /** A wait is scheduled and has not yet read {@link #target}. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The newest record nobody waits for. */
    private final AtomicLong target = new AtomicLong();

    LazySync(LongConsumer awaitDurable) {
        this.awaitDurable = awaitDurable;
    }

    void request(long seq) {
        target.accumulateAndGet(seq, Math::max);
        if (scheduled.compareAndSet(false, true)) {
            Thread.ofVirtual().name("wal-lazy-sync").start(this::waitThenSync);
        }
    }

    private void waitThenSync() {
        try {
            Thread.sleep(DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduled.set(false); // before reading the target: a later request schedules another wait
        try {
            awaitDurable.accept(target.get());
        } catch (WalException failed) {
            // Reported where the log failed; whoever waits next hears it.
        }
    }
}
