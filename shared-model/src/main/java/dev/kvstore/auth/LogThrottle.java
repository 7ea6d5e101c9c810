package dev.kvstore.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Lets through at most {@code burst} events per window and counts the rest, so something refused in a
 * loop (a scanner, a node with the wrong secret) cannot flood the log; the next event let through
 * reports how many were held back.
 */
public final class LogThrottle {

    /** Whether to log this event, and how many were held back since the last one logged. */
    public record Admission(boolean log, long suppressed) {

        /** For the end of the line logged: how many like it were held back, or nothing when none were. */
        public String heldBack() {
            return suppressed == 0 ? "" : " (" + suppressed + " more like it not logged)";
        }
    }

    private final Clock clock;
    private final int burst;
    private final Duration window;
    private Instant windowStart;
    private int inWindow;
    private long suppressed;

    public LogThrottle(Clock clock, int burst, Duration window) {
        this.clock = clock;
        this.burst = burst;
        this.window = window;
    }

    public synchronized Admission admit() {
        Instant now = clock.instant();
        if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow >= burst) {
            suppressed++;
            return new Admission(false, suppressed);
        }
        inWindow++;
        long held = suppressed;
        suppressed = 0;
        return new Admission(true, held);
    }
}
