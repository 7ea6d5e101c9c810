package dev.kvstore.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.Verification.Accepted;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private final MutableClock clock = new MutableClock();
    private final ReplayGuard guard = new ReplayGuard(clock, Duration.ofSeconds(30));
    private final long now = clock.instant().getEpochSecond();

    @Test
    void nonceIsAcceptedOnceWithinTheWindow() {
        Accepted request = new Accepted(now, "abc.1");

        assertThat(guard.firstUse(request)).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(guard.firstUse(request)).isFalse();
        assertThat(guard.firstUse(new Accepted(now, "abc.2"))).isTrue();
    }

    @Test
    void noncesAreForgottenOnceTheirTimestampIsStaleAnyway() {
        guard.firstUse(new Accepted(now, "abc.1"));
        guard.firstUse(new Accepted(now + 20, "abc.2"));

        clock.advance(Duration.ofSeconds(31));
        guard.firstUse(new Accepted(now + 31, "abc.3"));

        assertThat(guard.size()).as("abc.1 expired, abc.2 (signed 20 s later) kept").isEqualTo(2);
    }
}
