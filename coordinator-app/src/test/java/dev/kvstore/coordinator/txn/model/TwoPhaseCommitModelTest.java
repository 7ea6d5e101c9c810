package dev.kvstore.coordinator.txn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.txn.model.TwoPhaseCommitModel.Variant;
import org.junit.jupiter.api.Test;

/**
 * The exhaustive model check of today's two-phase commit (see this package's documentation for the rules
 * and bounds). Each test prints the states and transitions it explored, and any counterexample.
 */
class TwoPhaseCommitModelTest {

    /** Replica crashes, duplicates and the in-doubt timer; the coordinator never crashes. */
    private static final Bounds STEADY_COORDINATOR = Bounds.DEFAULT.withoutCoordinatorCrashes();
    /**
     * For two writes the timer's questions multiply the interleavings past a unit test's time (over a
     * million states for one round on each replica, without crashes or duplicates), so two checks:
     * replica crashes and duplicates without the timer, and the timer of one replica without them.
     */
    private static final Bounds TWO_WRITES = new Bounds(0, 1, 0, 2, true, true);
    private static final Bounds TWO_WRITES_IN_DOUBT = new Bounds(0, 0, 1, 1, false, true);

    @Test
    void onePutKeepsEveryPropertyWhileTheCoordinatorStaysUp() {
        Explorer.Result result = check(Variant.TODAY, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(10_000);
    }

    @Test
    void twoConflictingWritesKeepEveryPropertyWhileTheCoordinatorStaysUp() {
        Explorer.Result result = check(Variant.TODAY, Scenario.putAndConditionalPut(), TWO_WRITES);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(10_000);
    }

    @Test
    void twoConflictingWritesKeepEveryPropertyWithAReplicaResolvingDoubtsWhileTheCoordinatorStaysUp() {
        Explorer.Result result = check(Variant.TODAY, Scenario.putAndConditionalPut(), TWO_WRITES_IN_DOUBT);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(10_000);
    }

    /**
     * A real finding, not a broken variant: the coordinator's decisions live in its memory only, so a
     * replica in doubt that hears UNKNOWN from a restarted coordinator and PREPARED from its peer aborts,
     * while a COMMIT decided before the restart is still on its way to (or being forced by) one of them.
     * It happens even when the restarted coordinator's takeover tells both replicas its term. When issue
     * 17's protocol fixes this, this test fails and becomes a "keeps every property" test.
     */
    @Test
    void todaysProtocolLetsReplicasDisagreeWhenTheCoordinatorRestartsWithACommitOnItsWay() {
        Explorer.Result result = check(Variant.TODAY, Scenario.onePut(), Bounds.DEFAULT.withTakeoverReachingEveryReplica());

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).startsWith("replicas disagree");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("COORDINATOR CRASHES"));
        });
    }

    @Test
    void answeringWrittenAfterOneYesVoteIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.ANSWER_AFTER_ONE_YES, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).contains("older than version 1 acknowledged");
            assertThat(counterexample.steps()).isNotEmpty();
        });
    }

    @Test
    void votingYesWithoutForcingThePrepareIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.PREPARE_NOT_FORCED, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample ->
                assertThat(counterexample.steps()).anyMatch(step -> step.contains("CRASHES")));
    }

    private static Explorer.Result check(Variant variant, Scenario scenario, Bounds bounds) {
        Explorer.Result result = Explorer.explore(new TwoPhaseCommitModel(variant), scenario, bounds);
        System.out.println(result.summary());
        result.violation().ifPresent(System.out::println);
        return result;
    }
}
