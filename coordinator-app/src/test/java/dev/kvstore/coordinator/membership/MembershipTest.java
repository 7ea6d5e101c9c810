package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.ring.HashRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MembershipTest {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3), 16);

    @Test
    void registeredNodeIsUpAndOnTheRing() {
        assertThat(membership.register("n1", "http://a:1")).isTrue();

        assertThat(membership.member("n1")).hasValueSatisfying(m -> assertThat(m.state()).isEqualTo(NodeState.UP));
        assertThat(membership.ring().nodes()).containsExactly("n1");
    }

    @Test
    void reaperMarksDownOnlyAfterTheHeartbeatTimeout() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        clock.now = clock.now.plusSeconds(2);
        membership.heartbeat("n2");

        clock.now = clock.now.plusMillis(999);
        assertThat(membership.reap()).isEmpty();
        clock.now = clock.now.plusMillis(2);
        assertThat(membership.reap()).extracting(Member::id).containsExactly("n1");

        assertThat(membership.member("n1").orElseThrow().state()).isEqualTo(NodeState.DOWN);
        assertThat(membership.member("n2").orElseThrow().state()).isEqualTo(NodeState.UP);
        assertThat(membership.reap()).as("reaped once").isEmpty();
    }

    @Test
    void heartbeatBringsADownNodeBackUp() {
        membership.register("n1", "http://a:1");
        clock.now = clock.now.plusSeconds(4);
        membership.reap();

        assertThat(membership.heartbeat("n1")).isTrue();

        assertThat(membership.member("n1").orElseThrow().isUp()).isTrue();
    }

    @Test
    void heartbeatFromAnUnknownNodeTellsItToRegister() {
        assertThat(membership.heartbeat("ghost")).isFalse();
        assertThat(membership.members()).isEmpty();
    }

    @Test
    void registeringAgainUpdatesTheUrlWithoutMovingTheRing() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        HashRing before = membership.ring();

        assertThat(membership.register("n1", "http://a:2")).isFalse();

        assertThat(membership.member("n1").orElseThrow().url()).isEqualTo("http://a:2");
        assertThat(membership.ring()).isSameAs(before);
    }

    @Test
    void downNodeStaysOnTheRing() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        clock.now = clock.now.plusSeconds(4);
        membership.heartbeat("n2");
        membership.reap();

        assertThat(membership.ring().nodes()).containsExactlyInAnyOrder("n1", "n2");
    }
}
