package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.RingView;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static final String TOKEN = "token-of-a1-data-dir";

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
    void aRingMemberKnownOnlyFromAReportedRingIsToldToRegisterByItsHeartbeatThenRegistersWithItsUrl() {
        membership.addMissing("n3");

        assertThat(membership.beat("n3", null)).isEqualTo(Membership.Heartbeat.UNKNOWN);
        assertThat(membership.member("n3").orElseThrow().isUp()).isFalse();

        assertThat(membership.register("n3", "http://c:1")).as("known already, so not created").isFalse();
        assertThat(membership.member("n3").orElseThrow()).satisfies(m -> {
            assertThat(m.isUp()).isTrue();
            assertThat(m.url()).isEqualTo("http://c:1");
        });
        assertThat(membership.beat("n3", null)).isEqualTo(Membership.Heartbeat.OK);
    }

    private static final NodeHeartbeat CANNOT_WRITE =
            new NodeHeartbeat(false, "its write-ahead log failed: java.io.IOException: No space left on device", true);

    @Test
    void aNodeWhoseLogCannotWriteIsOutOfTheWritePathAtOnceAndFailedOverAfterTheHeartbeatTimeout() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");

        membership.beat("n1", CANNOT_WRITE);
        Member reported = membership.member("n1").orElseThrow();
        assertThat(reported.isUp()).as("still UP: it answers reads").isTrue();
        assertThat(reported.isWritable()).isFalse();
        assertThat(reported.notWritable()).contains("No space left on device");
        assertThat(reported.diskFull()).isTrue();
        assertThat(membership.writable()).containsExactly("n2");
        assertThat(membership.live()).containsExactly("n1", "n2");

        // Heartbeats keep coming, still unable to write; the reaper runs every second.
        for (int second = 1; second <= 3; second++) {
            clock.advance(Duration.ofSeconds(1));
            membership.beat("n1", CANNOT_WRITE);
            membership.heartbeat("n2");
            assertThat(membership.reap()).as("within the heartbeat timeout").isEmpty();
        }
        clock.advance(Duration.ofMillis(1));
        membership.beat("n1", CANNOT_WRITE);
        assertThat(membership.reap()).extracting(Member::id).containsExactly("n1");
        assertThat(membership.member("n1").orElseThrow().state()).isEqualTo(NodeState.DOWN);
        assertThat(membership.desiredRing()).containsExactly("n2");
    }

    @Test
    void aNodeFailedOverForItsLogStaysDownWhileItCannotWriteAndComesBackOnceItSaysItWrites() {
        membership.register("n1", "http://a:1");
        membership.beat("n1", CANNOT_WRITE);
        clock.advance(Duration.ofMillis(3_001));
        membership.beat("n1", CANNOT_WRITE);
        assertThat(membership.reap()).extracting(Member::id).containsExactly("n1");

        clock.advance(Duration.ofSeconds(1));
        assertThat(membership.beat("n1", CANNOT_WRITE)).isEqualTo(Membership.Heartbeat.OK);
        assertThat(membership.member("n1").orElseThrow().isUp()).isFalse();
        assertThat(membership.desiredRing()).isEmpty();

        membership.beat("n1", NodeHeartbeat.WRITABLE);
        Member back = membership.member("n1").orElseThrow();
        assertThat(back.isWritable()).isTrue();
        assertThat(back.notWritable()).isNull();
        assertThat(back.notWritableSince()).isNull();
        assertThat(membership.desiredRing()).containsExactly("n1");
    }

    @Test
    void aNodeThatWritesAgainWithinTheTimeoutIsNeverFailedOver() {
        membership.register("n1", "http://a:1");
        membership.beat("n1", CANNOT_WRITE);
        clock.advance(Duration.ofSeconds(1));
        membership.beat("n1", NodeHeartbeat.WRITABLE);
        assertThat(membership.reap()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        membership.heartbeat("n1");
        assertThat(membership.reap()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        membership.heartbeat("n1");
        assertThat(membership.reap()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        membership.heartbeat("n1");
        assertThat(membership.reap()).as("the timeout runs from when it last could not write").isEmpty();
        assertThat(membership.member("n1").orElseThrow().isWritable()).isTrue();
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
    void aReaperThatRanLongAfterItsPreviousRoundWasPausedItselfAndGivesEveryNodeAFreshTimeout() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        membership.reap();

        clock.advance(Duration.ofSeconds(8));
        assertThat(membership.reap()).as("paused 8 s: the heartbeats were not read, not missing").isEmpty();
        assertThat(membership.live()).containsExactly("n1", "n2");

        for (int round = 0; round < 7; round++) {
            clock.advance(Duration.ofMillis(500));
            membership.heartbeat("n2");
            membership.reap();
        }
        assertThat(membership.live()).as("a full timeout later, the silent one goes").containsExactly("n2");
    }

    @Test
    void moreNodesSilentAtOnceThanTheRingCanLoseAreAskedDirectlyAndThoseThatAnswerStayUp() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        membership.register("n3", "http://c:1");
        membership.reap();
        List<List<String>> asked = new java.util.ArrayList<>();
        NodeProbe onlyN1Answers = members -> {
            asked.add(members.stream().map(Member::id).toList());
            return java.util.Set.of("n1");
        };
        for (int round = 0; round < 6; round++) {
            clock.advance(Duration.ofMillis(501));
            membership.heartbeat("n3");
            membership.reap(onlyN1Answers);
        }

        assertThat(asked).containsExactly(List.of("n1", "n2"));
        assertThat(membership.live()).containsExactly("n1", "n3");
        assertThat(membership.member("n1").orElseThrow().lastHeartbeat()).isEqualTo(clock.instant());
    }

    @Test
    void oneSilentNodeIsMarkedDownOnItsSilenceAloneWithoutBeingAsked() {
        membership.register("n1", "http://a:1");
        membership.register("n2", "http://b:1");
        membership.reap();
        NodeProbe mustNotBeAsked = members -> {
            throw new AssertionError("asked " + members);
        };
        for (int round = 0; round < 7; round++) {
            clock.advance(Duration.ofMillis(500));
            membership.heartbeat("n2");
            membership.reap(mustNotBeAsked);
        }

        assertThat(membership.live()).containsExactly("n2");
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
    void sameNodeRestartedOnANewPortTakesItsIdOverWhileStillUp() {
        membership.register("n1", "http://a:1", TOKEN, null);

        assertThat(membership.register("n1", "http://a:2", TOKEN, null)).isFalse();

        assertThat(membership.member("n1").orElseThrow().url()).isEqualTo("http://a:2");
        assertThat(membership.member("n1").orElseThrow().isUp()).isTrue();
    }

    @Test
    void anotherNodeCannotTakeAnIdThatIsUpAtAnotherUrl() {
        membership.register("n1", "http://a:1", TOKEN, null);
        RingView ring = new RingView(9, List.of("n1", "intruder"));

        assertThatThrownBy(() -> membership.register("n1", "http://b:1", "another-token-0123", ring))
                .isInstanceOf(NodeIdInUseException.class).hasMessageContaining("node id already in use by http://a:1");
        assertThatThrownBy(() -> membership.register("n1", "http://b:1", null, ring))
                .isInstanceOf(NodeIdInUseException.class);

        assertThat(membership.member("n1").orElseThrow().url()).isEqualTo("http://a:1");
        assertThat(membership.lastRing()).as("a refused registration's ring is not remembered").isEmpty();
        assertThat(membership.register("n1", "http://a:2", TOKEN, null)).as("the real node keeps its token").isFalse();
    }

    @Test
    void nodeWithoutATokenCannotMoveWhileUpButCanReturnToItsOwnUrl() {
        membership.register("n1", "http://a:1");

        assertThatThrownBy(() -> membership.register("n1", "http://a:2")).isInstanceOf(NodeIdInUseException.class);
        assertThat(membership.register("n1", "http://a:1", TOKEN, null)).isFalse();
    }

    @Test
    void idIsFreeForAnyNodeOnceItsHolderIsDown() {
        membership.register("n1", "http://a:1", TOKEN, null);
        clock.advance(Duration.ofSeconds(4));
        membership.reap();

        assertThat(membership.register("n1", "http://b:1", "another-token-0123", null)).isFalse();

        assertThat(membership.member("n1").orElseThrow().url()).isEqualTo("http://b:1");
        assertThat(membership.member("n1").orElseThrow().isUp()).isTrue();
        assertThatThrownBy(() -> membership.register("n1", "http://a:1", TOKEN, null))
                .as("the new holder's token counts now").isInstanceOf(NodeIdInUseException.class);
    }

    @Test
    void removedIdIsFreeForAnyNode() {
        membership.register("n1", "http://a:1", TOKEN, null);
        membership.markLeaving("n1");
        membership.remove("n1");

        assertThat(membership.register("n1", "http://b:1", "another-token-0123", null)).isTrue();
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

        assertThat(membership.beat("n1", null)).isEqualTo(Membership.Heartbeat.REMOVED);
        assertThat(membership.beat("ghost", null)).isEqualTo(Membership.Heartbeat.UNKNOWN);

        membership.register("n1", "http://a:1");
        assertThat(membership.beat("n1", null)).isEqualTo(Membership.Heartbeat.OK);
    }

    @Test
    void aNodeRegisteringAtAnAddressRecordedForAnotherTakesItAwaySoNoCallMeantForThatOneReachesIt() {
        Membership table = new Membership(new MutableClock(), Duration.ofSeconds(3));
        table.register("node-2", "http://127.0.0.1:40001");

        table.register("node-3", "http://127.0.0.1:40001/");

        assertThat(table.memberAt(URI.create("http://127.0.0.1:40001/internal/txn/batch")))
                .map(Member::id).hasValue("node-3");
        assertThat(table.member("node-2").orElseThrow().url()).isNull();
        assertThat(table.writable()).as("nowhere to write to node-2").containsExactly("node-3");
        table.register("node-2", "http://127.0.0.1:40002");
        assertThat(table.writable()).containsExactly("node-2", "node-3");
    }
}
