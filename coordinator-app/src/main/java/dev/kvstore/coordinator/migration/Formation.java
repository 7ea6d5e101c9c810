package dev.kvstore.coordinator.migration;

import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a ring that has not formed yet is waiting for, as the rebalancer decides it at one instant.
 *
 * @param reportedEpoch epoch of the newest ring the nodes reported, 0 when none did (a new cluster)
 * @param missing       members of that ring that are not UP (not registered yet, or silent since)
 * @param timeLeft      until the ring forms at the latest; zero when it forms now, empty before the
 *                      first registration (nothing has started the clock)
 */
public record Formation(long reportedEpoch, Set<String> missing, Optional<Duration> timeLeft) {

    public Formation {
        missing = Collections.unmodifiableSortedSet(new TreeSet<>(missing));
    }

    /** Whether the ring forms now. */
    public boolean due() {
        return timeLeft.map(Duration::isZero).orElse(false);
    }

    /** Whole seconds left, rounded up, so a wait never reads "0 s" before it is over; -1 before any registration. */
    public long secondsLeft() {
        return timeLeft.map(left -> (left.toMillis() + 999) / 1000).orElse(-1L);
    }

    /** For the 503 answered meanwhile and for health: what the ring waits for and for how long at most. */
    public String describe() {
        if (timeLeft.isEmpty()) {
            return "waiting for the first node to register";
        }
        if (reportedEpoch == 0) {
            return "a new cluster: forming in " + secondsLeft() + " s from the nodes registered by then";
        }
        if (missing.isEmpty()) {
            return "every member of the last ring (epoch " + reportedEpoch + ") has registered; forming in "
                    + secondsLeft() + " s";
        }
        return "waiting for " + String.join(", ", missing) + " of the last ring (epoch "
                + reportedEpoch + ") to register, at most " + secondsLeft() + " s more; any still missing then is "
                + "DOWN and failed over";
    }
}
