package dev.kvstore.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the nonces of accepted requests until their timestamps leave the skew window, so a
 * request that may be accepted only once is refused when it comes again. Meant for the few calls that
 * a replay could still change later (range moves, registration, heartbeats), not for the write path:
 * memory grows with their rate times the window. Only verified requests reach it.
 */
public final class ReplayGuard {

    private final Clock clock;
    private final long windowSeconds;
    /** nonce -> the epoch second after which its timestamp is stale anyway. */
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final AtomicLong lastPrune = new AtomicLong();

    public ReplayGuard(Clock clock, Duration maxSkew) {
        this.clock = clock;
        this.windowSeconds = maxSkew.toSeconds();
    }

    /** True the first time a nonce is presented within the window; false for a replay. */
    public boolean firstUse(Verification.Accepted request) {
        long now = clock.instant().getEpochSecond();
        long last = lastPrune.get();
        if (now != last && lastPrune.compareAndSet(last, now)) {
            seen.values().removeIf(expiry -> expiry < now);
        }
        return seen.putIfAbsent(request.nonce(), request.timestamp() + windowSeconds) == null;
    }

    int size() {
        return seen.size();
    }
}
