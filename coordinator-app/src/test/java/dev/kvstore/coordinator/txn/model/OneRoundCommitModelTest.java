package dev.kvstore.coordinator.txn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.txn.model.OneRoundCommitModel.Variant;
import org.junit.jupiter.api.Test;

/**
 * The exhaustive model check of the one-round commit (see this package's documentation for its rules
 * and what the model leaves out). The protocol as designed is checked with mirror images (A and B
 * exchanged) counted once, which halves the states; the broken variants without, for plain traces. Each
 * test prints the states and transitions it explored, and any counterexample.
 */
class OneRoundCommitModelTest {

    /** One write, the coordinator up: replica crashes, duplicates, two in-doubt rounds on each replica. */
    private static final Bounds STEADY_COORDINATOR = Bounds.DEFAULT.withoutCoordinatorCrashes();
    /**
     * Two writes, every party crashing (the coordinator's takeover may miss replicas), duplicates, but no
     * in-doubt timer: with it the crashes and duplicates take the states past a unit test's time (1.7
     * million for one round on each replica with replica crashes and duplicates, 3.4 million with a
     * coordinator restart too; no violation).
     */
    private static final Bounds TWO_WRITES = new Bounds(1, 1, 0, 2, true, true);
    /** Two writes, both replicas' in-doubt timers (one round each) and a coordinator restart; no replica crash, no duplicate. */
    private static final Bounds TWO_WRITES_IN_DOUBT = new Bounds(1, 0, 1, 2, false, true);
    /** Two writes, replica crashes, duplicates and A's in-doubt timer: the smallest that shows a forgotten NO vote. */
    private static final Bounds TWO_WRITES_A_IN_DOUBT = new Bounds(0, 1, 1, 1, true, true);

    /**
     * The fix of the finding that {@code TwoPhaseCommitModelTest} pins down: with the same bounds (one
     * coordinator crash whose takeover reaches both replicas, a crash of each replica, duplicates, two
     * in-doubt rounds on each) no state breaks a property. A COMMIT still on its way when the coordinator
     * restarts finds both replicas holding YES votes, which no one can turn into an ABORT any more.
     */
    @Test
    void onePutKeepsEveryPropertyWhenTheCoordinatorRestartsWithACommitOnItsWay() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.onePut(),
                Bounds.DEFAULT.withTakeoverReachingEveryReplica());

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(100_000);
    }

    /** Every fault the bounds allow, a takeover that misses a replica (or both) included. */
    @Test
    void onePutKeepsEveryPropertyWithEveryFaultTheDefaultBoundsAllow() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.onePut(), Bounds.DEFAULT);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(100_000);
    }

    @Test
    void twoConflictingWritesKeepEveryPropertyWhenEveryPartyCrashes() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.putAndConditionalPut(), TWO_WRITES);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(10_000);
    }

    @Test
    void twoConflictingWritesKeepEveryPropertyWithBothReplicasResolvingDoubtsAndACoordinatorRestart() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.putAndConditionalPut(), TWO_WRITES_IN_DOUBT);

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(100_000);
    }

    /**
     * Replicas forget decided outcomes (at any step, once nothing the coordinator sent about them can
     * still arrive), on top of every fault the default bounds allow: a peer asked about a transaction it
     * does not know fences it only when it cannot have forgotten a COMMIT of it.
     */
    @Test
    void onePutKeepsEveryPropertyWhenReplicasForgetOutcomes() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.onePut(), Bounds.DEFAULT.withPruning());

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(100_000);
    }

    @Test
    void twoConflictingWritesKeepEveryPropertyWhenReplicasForgetOutcomes() {
        Explorer.Result result = check(Variant.AS_DESIGNED, Scenario.putAndConditionalPut(),
                TWO_WRITES_IN_DOUBT.withPruning());

        assertThat(result.violation()).isEmpty();
        assertThat(result.states()).isGreaterThan(100_000);
    }

    /**
     * The rule before: a peer fences every transaction it does not know. One replica, in doubt, cannot
     * reach the coordinator (a restart would do as well); its peer committed and forgot it; the fence
     * aborts an acknowledged write.
     */
    @Test
    void fencingATransactionThePeerForgotIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.FENCES_WHAT_IT_FORGOT, Scenario.onePut(),
                new Bounds(1, 0, 1, 2, false, true, true));

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).contains("answered WRITTEN").contains("recorded ABORT");
            assertThat(counterexample.steps()).anyMatch(step -> step.contains("forgets T0's outcome (COMMITTED v1)"));
        });
    }

    @Test
    void answeringWrittenAfterOneYesVoteIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.ANSWER_AFTER_ONE_YES, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).contains("older than version 1 acknowledged");
            assertThat(counterexample.steps()).last().asString().startsWith("delivered: VOTE(T0, YES");
        });
    }

    /** A replica asks its peer unmarked; the peer commits; the coordinator's ABORT then lands on the asker. */
    @Test
    void askingThePeerWithoutMarkingResolvingIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.RESOLVING_NOT_MARKED, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).startsWith("replicas disagree");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("delivered: inquiry(T0,"))
                    .anyMatch(step -> step.startsWith("delivered: ABORT(T0"));
        });
    }

    /** The peer answers COMMITTED from memory, crashes, and takes the coordinator's ABORT. */
    @Test
    void aPeerCommittingWithoutForcingIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.PEER_COMMIT_NOT_FORCED, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).startsWith("replicas disagree");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("REPLICA")
                    && step.contains("CRASHES"));
        });
    }

    /**
     * One write only ever votes NO by a forced decision, so this needs two: A votes NO on one (the key
     * held by the other), forgets it in a crash, and a duplicate PREPARE, once the key is free, votes YES.
     */
    @Test
    void aNoVoteWithoutAForcedAbortIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.NO_VOTE_NOT_FORCED, Scenario.putAndConditionalPut(),
                TWO_WRITES_A_IN_DOUBT);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).contains("answered NOT WRITTEN").contains("recorded COMMIT");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("delivered again (a duplicate): PREPARE"));
        });
    }

    /**
     * Not a rule the design names: an ABORT a replica in doubt is told must be forced too, for the
     * coordinator's ABORT then finds it ABORTED and acknowledges it.
     */
    @Test
    void anAbortToldInDoubtWithoutForcingIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.IN_DOUBT_ABORT_NOT_FORCED, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).contains("answered NOT WRITTEN").contains("recorded COMMIT");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("delivered: abort acknowledged"));
        });
    }

    /**
     * Not a rule the design names: marking RESOLVING must check, in the same step, that the transaction is
     * still undecided; an ABORT that arrived while the coordinator was asked must stop the inquiry.
     */
    @Test
    void inquiringAfterTheTransactionWasDecidedIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.INQUIRES_AFTER_DECIDING, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).startsWith("replicas disagree");
            assertThat(counterexample.steps()).anyMatch(step -> step.startsWith("delivered: inquiry(T0,"));
        });
    }

    /** A replica that asked its peer once, asking the coordinator again, must not take its ABORTED. */
    @Test
    void aResolvingReplicaTakingTheCoordinatorsAbortIsCaughtWithACounterexample() {
        Explorer.Result result = check(Variant.RESOLVING_TAKES_ABORTED_STATUS, Scenario.onePut(), STEADY_COORDINATOR);

        assertThat(result.violation()).hasValueSatisfying(counterexample -> {
            assertThat(counterexample.property()).startsWith("replicas disagree");
            assertThat(counterexample.steps()).anyMatch(step -> step.contains("coordinator's answer ABORTED"));
        });
    }

    private static Explorer.Result check(Variant variant, Scenario scenario, Bounds bounds) {
        Explorer.Result result = Explorer.explore(new OneRoundCommitModel(variant, variant == Variant.AS_DESIGNED),
                scenario, bounds);
        System.out.println(result.summary());
        result.violation().ifPresent(System.out::println);
        return result;
    }
}
