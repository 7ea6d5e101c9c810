package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MembershipTest {


    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));

    @Test
    void registeredNodeIsUpAndBelongsOnTheRing() {
        assertThat(membership.register("n1", "http://a:1")).isTrue();

        assertThat(membership.member("n1")).hasValueSatisfying(m -> assertThat(m.state()).isEqualTo(NodeState.UP));
        assertThat(membership.desiredRing()).containsExactly("n1");
        assertThat(membership.firstRegistration()).contains(clock.instant());
    }

    @Test
    void reaperMarksDownOnlyAfterTheHeartbeatTimeout() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        clock.advance(Duration.ofSeconds(2));
        membership.heartbeat("n2");

        clock.advance(Duration.ofMillis(999));
        assertThat(membership.reap()).isEmpty();
        clock.advance(Duration.ofMillis(2));
        assertThat(membership.reap()).extracting(Member::id).containsExactly("n1");

        assertThat(membership.member("n1").orElseThrow().state()).isEqualTo(NodeState.DOWN);
        assertThat(membership.member("n2").orElseThrow().state()).isEqualTo(NodeState.UP);
        assertThat(membership.reap()).as("reaped once").isEmpty();
    }

    @Test
    void heartbeatBringsADownNodeBackUp() {
        membership.register("n1", "http://a:1");
        clock.advance(Duration.ofSeconds(4));
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
    void registeringAgainUpdatesTheUrl() {
        membership.register("n1", "http://a:1");

        assertThat(membership.register("n1", "http://a:2")).isFalse();

        assertThat(membership.member("n1").orElseThrow().url()).isEqualTo("http://a:2");
    }

    @Test
    void downNodeNoLongerBelongsOnTheRingButStaysAMember() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        clock.advance(Duration.ofSeconds(4));
        membership.heartbeat("n2");
        membership.reap();

        assertThat(membership.desiredRing()).containsExactly("n2");
        assertThat(membership.live()).containsExactly("n2");
        assertThat(membership.members()).extracting(Member::id).containsExactly("n1", "n2");
    }

    @Test
    void leavingNodeLeavesTheDesiredRingWhileStayingLiveUntilRemoved() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");

        assertThat(membership.markLeaving("n2")).isTrue();
        assertThat(membership.markLeaving("ghost")).isFalse();

        assertThat(membership.desiredRing()).containsExactly("n1");
        assertThat(membership.live()).containsExactly("n1", "n2");
        membership.remove("n2");
        assertThat(membership.member("n2")).isEmpty();
        assertThat(membership.isLeaving("n2")).isFalse();
    }

    @Test
    void removedNodeIsToldSoOnItsNextHeartbeatUntilItRegistersAfresh() {
        membership.register("n1", "http://a:1");
        membership.markLeaving("n1");
        membership.remove("n1");

        assertThat(membership.beat("n1")).isEqualTo(Membership.Heartbeat.REMOVED);
        assertThat(membership.beat("ghost")).isEqualTo(Membership.Heartbeat.UNKNOWN);

        membership.register("n1", "http://a:1");
        assertThat(membership.beat("n1")).isEqualTo(Membership.Heartbeat.OK);
    }
}
