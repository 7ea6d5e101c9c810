package dev.kvstore.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.LogThrottle.Admission;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LogThrottle throttle = new LogThrottle(clock, 2, Duration.ofMinutes(1));

    @Test
    void burstIsLoggedThenHeldBackAndCountedUntilTheNextWindow() {
        assertThat(throttle.admit()).isEqualTo(new Admission(true, 0));
        assertThat(throttle.admit()).isEqualTo(new Admission(true, 0));
        assertThat(throttle.admit().log()).isFalse();
        assertThat(throttle.admit().log()).isFalse();
        assertThat(throttle.admit().log()).isFalse();

        clock.advance(Duration.ofMinutes(1));

        Admission next = throttle.admit();
        assertThat(next).as("reports the three held back").isEqualTo(new Admission(true, 3));
        assertThat(next.heldBack()).isEqualTo(" (3 more like it not logged)");
        assertThat(throttle.admit().heldBack()).as("none held back: nothing to add").isEmpty();
        assertThat(throttle.admit().log()).isFalse();
    }
}
