package dev.kvstore.coordinator.txn;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes this process's transaction ids: UUIDs in canonical form, which nodes hold as their 128 bits.
 * Drawing each from {@code SecureRandom} cost 1.5% of a coordinator's CPU under load, so the random bits
 * are drawn once: 60 for the process (the version nibble says 8, "custom") and a random start for a
 * counter in the other 62 (after the variant bits). Ids of one process never repeat; two processes share
 * one only if their 60 random bits agree and their counters overlap.
 */
final class TxIdSource {

    private static final long VERSION_MASK = 0xF000L;
    private static final long VERSION_8 = 0x8000L;
    private static final long COUNTER_BITS = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long VARIANT = 0x8000_0000_0000_0000L;

    private final long high;
    private final AtomicLong counter;

    TxIdSource() {
        this(new SecureRandom());
    }

    TxIdSource(SecureRandom random) {
        this.high = random.nextLong() & ~VERSION_MASK | VERSION_8;
        this.counter = new AtomicLong(random.nextLong());
    }

    String next() {
        return new UUID(high, VARIANT | counter.getAndIncrement() & COUNTER_BITS).toString();
    }
}
