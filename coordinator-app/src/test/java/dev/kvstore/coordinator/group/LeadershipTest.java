package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.group.Leadership.Route;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeadershipTest {

    private static final Duration LEASE = Duration.ofMillis(375);
    private static final GroupPeer ONE = GroupPeer.parse("coordinator-1=127.0.0.1:9180=http://127.0.0.1:8080");
    private static final GroupPeer TWO = GroupPeer.parse("coordinator-2=127.0.0.1:9181=http://127.0.0.1:8081");
    private static final GroupPeer THREE = GroupPeer.parse("coordinator-3=127.0.0.1:9182=http://127.0.0.1:8082");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Leadership leadership = new Leadership("coordinator-1",
            Map.of(ONE.id(), ONE, TWO.id(), TWO, THREE.id(), THREE), now::get, LEASE);

    @Test
    void aFollowerSendsRequestsToTheLeaderItKnows() {
        assertThat(leadership.route("coordinator-2")).isEqualTo(new Route.Forward(TWO));
        assertThat(leadership.term()).isZero();
    }

    @Test
    void withoutAKnownLeaderRequestsAreRefusedNotQueued() {
        assertThat(leadership.route(null)).isInstanceOf(Route.Unavailable.class);
        assertThat(leadership.route("coordinator-1")).as("Raft says us, the takeover has not begun")
                .isInstanceOf(Route.Unavailable.class);
        assertThat(leadership.route("coordinator-9")).isInstanceOf(Route.Unavailable.class);
    }

    @Test
    void anElectedLeaderServesNothingUntilItsTakeoverIsDoneAndConfirmed() {
        leadership.takingOver(7, 0);
        assertThat(leadership.term()).as("its messages to nodes carry the new term during the takeover").isEqualTo(7);
        assertThat(leadership.route("coordinator-1")).isInstanceOf(Route.Unavailable.class);

        leadership.confirmed(7, now.get());
        leadership.serving(7);

        assertThat(leadership.route("coordinator-1")).isEqualTo(new Route.Serve(7));
    }

    @Test
    void aLeaderPausedPastItsLeaseServesNothingWhenItResumes() {
        serveInTerm(7);

        now.addAndGet(Duration.ofSeconds(8).toNanos());

        assertThat(leadership.serves()).isFalse();
        assertThat(leadership.route("coordinator-1")).isInstanceOf(Route.Unavailable.class);
    }

    @Test
    void theLeaseRunsFromWhenTheConfirmationBeganNotWhenItCommitted() {
        serveInTerm(7);
        long began = now.get();
        now.addAndGet(Duration.ofMillis(300).toNanos());
        leadership.confirmed(7, began);

        now.addAndGet(LEASE.toNanos() - Duration.ofMillis(300).toNanos() + 1);

        assertThat(leadership.serves()).isFalse();
    }

    @Test
    void aConfirmationFromAnEarlierTermExtendsNothing() {
        serveInTerm(7);
        leadership.steppedDown();
        leadership.takingOver(9, 0);
        leadership.serving(9);

        leadership.confirmed(7, now.get());

        assertThat(leadership.serves()).isFalse();
    }

    @Test
    void aTakeoverOvertakenByANewerTermDoesNotServe() {
        leadership.takingOver(7, 0);
        leadership.takingOver(8, 0);
        leadership.confirmed(8, now.get());

        leadership.serving(7);

        assertThat(leadership.serves()).isFalse();
    }

    @Test
    void aSteppedDownLeaderForwardsButItsLateMessagesStillCarryItsOldTerm() {
        assertThat(leadership.messageTerm()).as("never led").isZero();
        serveInTerm(7);

        leadership.steppedDown();

        assertThat(leadership.term()).isZero();
        assertThat(leadership.messageTerm()).as("never unmarked: nodes that saw a newer term refuse it").isEqualTo(7);
        assertThat(leadership.route("coordinator-3")).isEqualTo(new Route.Forward(THREE));
    }

    @Test
    void aGroupOfOneNeedsNoLease() {
        Leadership alone = new Leadership("coordinator-1", Map.of(ONE.id(), ONE), now::get, LEASE);
        alone.takingOver(1, 0);
        alone.serving(1);

        now.addAndGet(Duration.ofMinutes(5).toNanos());

        assertThat(alone.route("coordinator-1")).isEqualTo(new Route.Serve(1));
        assertThat(alone.leaseEndsWithin(LEASE)).isFalse();
    }

    @Test
    void aLeaseAboutToEndAsksForRenewal() {
        serveInTerm(7);
        assertThat(leadership.leaseEndsWithin(LEASE.dividedBy(2))).isFalse();

        now.addAndGet(LEASE.dividedBy(2).toNanos() + 1);

        assertThat(leadership.leaseEndsWithin(LEASE.dividedBy(2))).isTrue();
    }

    private void serveInTerm(long term) {
        leadership.takingOver(term, 0);
        leadership.confirmed(term, now.get());
        leadership.serving(term);
        assertThat(leadership.serves()).isTrue();
    }

    @Test
    void messagesCarryTheTermFloorPlusTheTermAndLaterLeadersStampHigher() {
        leadership.takingOver(7, 0);
        assertThat(leadership.messageTerm()).isEqualTo(7);

        leadership.floorRaised(6, 500);
        assertThat(leadership.messageTerm()).as("a raise committed in another term is not ours").isEqualTo(7);
        leadership.floorRaised(7, 500);
        assertThat(leadership.messageTerm()).isEqualTo(507);

        leadership.steppedDown();
        assertThat(leadership.messageTerm()).as("kept for late messages").isEqualTo(507);
        leadership.takingOver(9, 500);
        assertThat(leadership.messageTerm()).isEqualTo(509);
    }
}
