package dev.kvstore.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T06:43:00Z");

    @Test
    void delaySecondsAreADuration() {
        assertThat(RetryAfter.parse("1", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAfter.parse(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void anHttpDateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Sun, 22 Nov 2026 06:43:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anHttpDateInThePastMeansRightAway() {
        assertThat(RetryAfter.parse("Sun, 22 Nov 2026 06:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void absentOrUnreadableIsNone() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
        assertThat(RetryAfter.parse("", NOW)).isNull();
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isNull();
    }
}
