package dev.kvstore.e2e.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.e2e.history.CheckResult.Rule;
import dev.kvstore.e2e.history.CheckResult.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Histories built by hand (times in ms), and generated ones, against {@link LinearizabilityChecker}. */
class LinearizabilityCheckerTest {

    private static final String K = "k";

    private static CheckResult check(HistoryBuilder h, Map<String, FinalRead> finalState) {
        return LinearizabilityChecker.check(h.ops(), finalState);
    }

    private static Map<String, FinalRead> finalValue(String value, long version) {
        return Map.of(K, FinalRead.of(value, version));
    }

    private static void assertPasses(CheckResult result) {
        assertThat(result.ok()).as(result.summary()).isTrue();
        assertThat(result.violations()).isEmpty();
    }

    /** The history broke {@code rule}, and only it; the message names the rule, the key and the ops. */
    private static Violation assertOnly(CheckResult result, Rule rule, Op... involved) {
        assertThat(result.ok()).as("expected a violation of %s", rule).isFalse();
        assertThat(result.violations()).as(result.summary()).extracting(Violation::rule).containsOnly(rule);
        Violation v = result.violations().getFirst();
        assertThat(v.key()).isEqualTo(K);
        assertThat(v.message()).startsWith("[" + rule.label() + "] key '" + K + "': ");
        for (Op op : involved) {
            assertThat(v.message()).contains(op.type() + " #" + op.id() + " ");
            assertThat(v.opIds()).contains(op.id());
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------- valid

    @Test
    void validConcurrentHistoryPasses() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a1", 0, 10).ok(1);
        h.put(K, "a2", 5, 30).ok(2);               // overlaps a1
        h.get(K, 12, 20).read("a1", 1);            // a2 still in flight: the old value is fine
        h.get(K, 15, 40).read("a2", 2);
        h.get(K, 35, 45).read("a2", 2);
        h.delete(K, 50, 60).ok(3);
        h.get(K, 55, 58).read("a2", 2);            // concurrent with the delete
        h.get(K, 61, 65).absent();
        h.delete(K, 66, 70).absent();              // nothing to delete
        h.put(K, "a3", 72, 80).ok(4);
        h.get(K, 75, 85).absent();                 // concurrent with a3: still deleted
        h.get(K, 90, 95).read("a3", 4);
        h.put(K, "a4", 92, 100).unknown();         // took effect: a read saw it
        h.get(K, 101, 105).read("a4", 5);
        h.put(K, "a5", 106, 110).fail();
        h.get(K, 111, 112).read("a4", 5);
        h.put("other", "b1", 0, 10).ok(1);
        h.put("other", "b2", 0, 10).ok(2);
        h.get("other", 20, 25).read("b2", 2);

        assertPasses(check(h, Map.of(K, FinalRead.of("a4", 5), "other", FinalRead.of("b2", 2))));
    }

    @Test
    void concurrentOpsMayBeOrderedEitherWay() {
        for (boolean aFirst : new boolean[] {true, false}) {
            HistoryBuilder h = new HistoryBuilder();
            long va = aFirst ? 1 : 2;
            long vb = aFirst ? 2 : 1;
            h.put(K, "a", 0, 20).ok(va);
            h.put(K, "b", 10, 30).ok(vb);
            // Reads overlapping both writes and each other may see either, in either order.
            h.get(K, 5, 25).read("b", vb);
            h.get(K, 6, 26).read("a", va);
            h.get(K, 40, 50).read(aFirst ? "b" : "a", 2);
            String last = aFirst ? "b" : "a";
            assertPasses(check(h, finalValue(last, 2)));
        }
    }

    @Test
    void writeOfUnknownOutcomeMayHaveHappened() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 20, 30).unknown();
        h.get(K, 40, 50).read("b", 2);
        h.put(K, "c", 60, 70).ok(3);
        h.put(K, "d", 80, 90).unknown();

        assertPasses(check(h, finalValue("d", 4)));      // d happened too, with a version never acknowledged
    }

    @Test
    void writeOfUnknownOutcomeMayNotHaveHappened() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 20, 30).unknown();
        h.get(K, 40, 50).read("a", 1);
        h.delete(K, 55, 58).unknown();
        h.get(K, 60, 70).read("a", 1);

        assertPasses(check(h, finalValue("a", 1)));
    }

    @Test
    void writeOfUnknownOutcomeMayTakeEffectLongAfterItsTimeout() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).unknown();
        h.put(K, "b", 20, 30).ok(1);
        h.get(K, 40, 50).read("a", 2);                   // a landed after b, long after its client gave up

        assertPasses(check(h, finalValue("a", 2)));
    }

    @Test
    void absentReadIsExplainedByAConcurrentOrUnknownDelete() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.delete(K, 15, 40).ok(2);                        // still in flight when the read answered
        h.get(K, 20, 30).absent();
        h.put(K, "b", 50, 60).ok(3);
        h.delete(K, 65, 66).unknown();
        h.get(K, 70, 80).absent();
        h.put(K, "c", 82, 88).ok(5);                      // after the unknown delete's version 4, as it were
        h.get(K, 90, 95).read("c", 5);                    // a newer value after an absent read is fine

        assertPasses(check(h, finalValue("c", 5)));
    }

    @Test
    void readOfTheOldValueAfterAnExplainedAbsentReadGoesBackInTime() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).ok(1);
        h.delete(K, 5, 15).unknown();                     // explains the 404, so it took effect before it
        Op absent = h.get(K, 20, 30).absent();
        Op back = h.get(K, 40, 50).read("a", 1);          // the value from before the delete again

        Violation v = assertOnly(check(h, Map.of(K, FinalRead.absent())), Rule.READ_WENT_BACK, back, absent, put);
        assertThat(v.message()).contains("observed the key absent after")
                .contains("a delete with a version above 1 took effect");
    }

    @Test
    void finalStateNotAboveAnExplainedAbsentReadIsStale() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).ok(1);
        h.delete(K, 5, 15).unknown();
        Op absent = h.get(K, 20, 30).absent();

        assertOnly(check(h, finalValue("a", 1)), Rule.FINAL_STALE, absent, put);
        assertPasses(check(h, Map.of(K, FinalRead.absent())));
    }

    @Test
    void absentReadBeforeTheFirstWritePasses() {
        HistoryBuilder h = new HistoryBuilder();
        h.get(K, 0, 10).absent();
        h.put(K, "a", 5, 20).ok(1);
        h.get(K, 6, 25).absent();

        assertPasses(check(h, finalValue("a", 1)));
    }

    // ----------------------------------------------------------------------------------------- real time

    @Test
    void staleReadAfterAcknowledgedWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op newer = h.put(K, "b", 20, 30).ok(2);
        Op stale = h.get(K, 40, 50).read("a", 1);

        Violation v = assertOnly(check(h, finalValue("b", 2)), Rule.STALE_READ, stale, newer);
        assertThat(v.message()).contains("W->R")
                .contains("GET #3 [40.000ms..50.000ms] OK read \"a\" v1")
                .contains("PUT #2 \"b\" [20.000ms..30.000ms] OK v2");
        assertThat(v.opIds()).containsExactly(stale.id(), newer.id());
    }

    @Test
    void readOfAValueOlderThanACompletedDeleteIsStale() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op delete = h.delete(K, 20, 30).ok(2);
        Op stale = h.get(K, 40, 50).read("a", 1);

        assertOnly(check(h, Map.of(K, FinalRead.absent())), Rule.STALE_READ, stale, delete);
    }

    @Test
    void readGoingBackInTimeIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 20, 100).ok(2);                     // still in flight during both reads
        Op first = h.get(K, 30, 40).read("b", 2);
        Op second = h.get(K, 50, 60).read("a", 1);

        Violation v = assertOnly(check(h, finalValue("b", 2)), Rule.READ_WENT_BACK, second, first);
        assertThat(v.message()).contains("R->R");
    }

    @Test
    void writeAcknowledgedWithAVersionLowerThanOneAlreadyObservedIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 5, 100).ok(3);                      // still in flight
        Op observed = h.get(K, 20, 30).read("b", 3);
        Op low = h.put(K, "c", 40, 50).ok(2);

        Violation v = assertOnly(check(h, finalValue("b", 3)), Rule.WRITE_BELOW_OBSERVED, low, observed);
        assertThat(v.message()).contains("R->W");
    }

    @Test
    void writeAcknowledgedWithAVersionNotAboveAnEarlierWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op earlier = h.put(K, "a", 0, 10).ok(2);
        Op later = h.put(K, "b", 20, 30).ok(1);

        assertOnly(check(h, finalValue("a", 2)), Rule.WRITE_AFTER_WRITE, later, earlier);
    }

    @Test
    void unknownWriteObservedWithAVersionBelowAnEarlierWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op earlier = h.put(K, "a", 0, 10).ok(5);
        Op unknown = h.put(K, "b", 20, 30).unknown();
        h.get(K, 25, 100).read("b", 4);                   // b landed, with a version below a's

        CheckResult result = check(h, finalValue("a", 5));
        assertThat(result.violations()).as(result.summary()).extracting(Violation::rule)
                .contains(Rule.WRITE_AFTER_WRITE, Rule.STALE_READ);
        assertThat(result.violations()).filteredOn(v -> v.rule() == Rule.WRITE_AFTER_WRITE).singleElement()
                .satisfies(v -> assertThat(v.opIds()).containsExactly(unknown.id(), earlier.id()));
    }

    @Test
    void twoWritesWithTheSameVersionAreCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op a = h.put(K, "a", 0, 10).ok(1);
        Op b = h.put(K, "b", 5, 15).ok(1);

        assertOnly(check(h, finalValue("b", 1)), Rule.DUPLICATE_VERSION, a, b);
    }

    // ------------------------------------------------------------------------------------------ absences

    @Test
    void absentReadAfterAcknowledgedPutWithNoDeleteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).ok(1);
        Op absent = h.get(K, 20, 30).absent();

        Violation v = assertOnly(check(h, finalValue("a", 1)), Rule.ABSENT_AFTER_WRITE, absent, put);
        assertThat(v.message()).contains("no DELETE had been invoked by then");
    }

    @Test
    void absentReadIsNotExplainedByADeleteOlderThanTheValue() {
        HistoryBuilder h = new HistoryBuilder();
        h.delete(K, 0, 5).ok(1);
        Op put = h.put(K, "a", 10, 20).ok(2);
        h.delete(K, 45, 50).unknown();                    // invoked only after the read completed
        Op absent = h.get(K, 30, 40).absent();

        assertOnly(check(h, finalValue("a", 2)), Rule.ABSENT_AFTER_WRITE, absent, put);
    }

    @Test
    void deleteAnswered404AfterAcknowledgedPutIsAnAbsentRead() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).ok(1);
        Op delete = h.delete(K, 20, 30).absent();

        assertOnly(check(h, finalValue("a", 1)), Rule.ABSENT_AFTER_WRITE, delete, put);
    }

    @Test
    void absentReadAfterAReadOfAnUnknownWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).unknown();
        Op read = h.get(K, 20, 30).read("a", 1);
        h.get(K, 40, 50).absent();

        CheckResult result = check(h, finalValue("a", 1));
        Violation v = assertOnly(result, Rule.ABSENT_AFTER_WRITE, read);
        assertThat(v.opIds()).hasSize(2);
    }

    // ----------------------------------------------------------------------------------- phantom reads

    @Test
    void phantomValueNeverWrittenIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put("elsewhere", "z", 0, 10).ok(1);             // written, but to another key
        Op phantom = h.get(K, 20, 30).read("z", 1);

        assertOnly(check(h, Map.of(K, FinalRead.of("a", 1), "elsewhere", FinalRead.of("z", 1))),
                Rule.PHANTOM_READ, phantom);
    }

    @Test
    void observedValueOfAFailedPutIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op failed = h.put(K, "b", 20, 30).fail();
        Op read = h.get(K, 40, 50).read("b", 2);

        assertOnly(check(h, finalValue("a", 1)), Rule.READ_OF_FAILED_WRITE, read, failed);
    }

    @Test
    void readOfAValueBeforeItsPutWasInvokedIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op read = h.get(K, 0, 10).read("a", 1);
        Op put = h.put(K, "a", 20, 30).unknown();

        assertOnly(check(h, finalValue("a", 1)), Rule.READ_BEFORE_WRITE, read, put);
    }

    @Test
    void readWithAnotherVersionThanItsWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).ok(1);
        Op read = h.get(K, 20, 30).read("a", 2);

        assertOnly(check(h, finalValue("a", 1)), Rule.VERSION_MISMATCH, read, put);
    }

    @Test
    void unknownWriteReadWithTwoVersionsIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).unknown();
        h.get(K, 20, 30).read("a", 1);
        Op second = h.get(K, 20, 30).read("a", 2);

        assertOnly(check(h, finalValue("a", 1)), Rule.VERSION_MISMATCH, second, put);
    }

    @Test
    void twoPutsOfTheSameValueMakeAnAmbiguousHistory() {
        HistoryBuilder h = new HistoryBuilder();
        Op first = h.put(K, "same", 0, 10).ok(1);
        Op second = h.put(K, "same", 20, 30).ok(2);

        assertOnly(check(h, finalValue("same", 2)), Rule.AMBIGUOUS_HISTORY, first, second);
    }

    // ------------------------------------------------------------------------------------- final state

    @Test
    void lostAcknowledgedWriteInTheFinalStateIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op acked = h.put(K, "b", 20, 30).ok(2);

        Violation v = assertOnly(check(h, finalValue("a", 1)), Rule.LOST_WRITE, acked);
        assertThat(v.message()).contains("the final state (\"a\" v1) is older than the newest acknowledged write");
    }

    @Test
    void finalStateWithTheNewestVersionButAnotherValueIsALostWrite() {
        HistoryBuilder h = new HistoryBuilder();
        Op acked = h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 5, 15).unknown();

        assertOnly(check(h, finalValue("b", 1)), Rule.LOST_WRITE, acked);
    }

    @Test
    void finalStateOverwritingAnAcknowledgedDeleteWithItsVersionIsALostWrite() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op delete = h.delete(K, 20, 30).ok(2);
        h.put(K, "b", 40, 50).unknown();

        assertOnly(check(h, finalValue("b", 2)), Rule.LOST_WRITE, delete);
        assertPasses(check(h, finalValue("b", 3)));       // b after the delete
    }

    @Test
    void finalStateOlderThanAnObservedUnknownWriteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op unknown = h.put(K, "b", 20, 30).unknown();
        h.get(K, 40, 50).read("b", 2);

        assertOnly(check(h, finalValue("a", 1)), Rule.FINAL_STALE, unknown);
    }

    @Test
    void finalStateAbsentWithoutADeleteIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.delete(K, 0, 5).ok(1);
        Op put = h.put(K, "a", 10, 20).ok(2);

        Violation v = assertOnly(check(h, Map.of(K, FinalRead.absent())), Rule.FINAL_ABSENT_WITHOUT_DELETE, put);
        assertThat(v.message()).contains("the newest acknowledged DELETE has version 1");
    }

    @Test
    void finalStateAbsentIsExplainedByALaterOrUnknownDelete() {
        HistoryBuilder acked = new HistoryBuilder();
        acked.put(K, "a", 0, 10).ok(1);
        acked.delete(K, 20, 30).ok(2);
        assertPasses(check(acked, Map.of(K, FinalRead.absent())));

        HistoryBuilder unknown = new HistoryBuilder();
        unknown.put(K, "a", 0, 10).ok(1);
        unknown.delete(K, 5, 8).pending();
        assertPasses(check(unknown, Map.of(K, FinalRead.absent())));
    }

    @Test
    void phantomOrFailedValueInTheFinalStateIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        Op failed = h.put(K, "b", 20, 30).fail();

        assertOnly(check(h, finalValue("nobody-wrote-this", 2)), Rule.PHANTOM_READ);
        assertOnly(check(h, finalValue("b", 2)), Rule.READ_OF_FAILED_WRITE, failed);
        assertThat(LinearizabilityChecker.check(List.of(), Map.of(K, FinalRead.of("x", 1))).violations())
                .extracting(Violation::rule).containsExactly(Rule.PHANTOM_READ);
    }

    @Test
    void writtenKeyMissingFromTheFinalStateIsCaught() {
        HistoryBuilder h = new HistoryBuilder();
        Op put = h.put(K, "a", 0, 10).unknown();
        h.put("failed-only", "x", 0, 10).fail();          // never written: needs no final read

        assertOnly(check(h, Map.of()), Rule.FINAL_MISSING, put);
    }

    // ---------------------------------------------------------------------------------------- reporting

    @Test
    void violationsAreCappedButCounted() {
        HistoryBuilder h = new HistoryBuilder();
        h.put(K, "a", 0, 10).ok(1);
        h.put(K, "b", 20, 30).ok(2);
        for (int i = 0; i < 200; i++) {
            h.get(K, 40 + 2L * i, 41 + 2L * i).read("a", 1);
        }

        CheckResult result = check(h, finalValue("b", 2));
        assertThat(result.total()).isGreaterThanOrEqualTo(200);
        assertThat(result.violations()).hasSize(LinearizabilityChecker.MAX_REPORTED);
        assertThat(result.summary()).startsWith(result.total() + " violation(s), first 50:");
    }

    // ---------------------------------------------------------------------------------------- generated

    @Test
    void generated20000OpHistoryOverFourKeysPasses() {
        Generated g = simulate(42, 20_000, 4);
        assertThat(g.ops()).hasSize(20_000);

        long t0 = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(g.ops(), g.finalState());
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("checked %d ops over %d keys in %d ms%n", g.ops().size(), g.finalState().size(), elapsedMs);

        assertPasses(result);
    }

    @Test
    void generated20000OpSingleKeyHistoryPasses() {
        Generated g = simulate(7, 20_000, 1);

        long t0 = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(g.ops(), g.finalState());
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("checked %d ops on one key in %d ms%n", g.ops().size(), elapsedMs);

        assertPasses(result);
    }

    @Test
    void generatedHistoriesWithManySeedsPass() {
        for (long seed = 0; seed < 50; seed++) {
            Generated g = simulate(seed, 2_000, 1 + (int) (seed % 5));
            CheckResult result = LinearizabilityChecker.check(g.ops(), g.finalState());
            assertThat(result.ok()).as("seed %d: %s", seed, result.summary()).isTrue();
        }
    }

    @Test
    void generated20000OpHistoryWithOneInjectedStaleReadFails() {
        Generated g = simulate(42, 20_000, 4);
        List<Op> ops = new ArrayList<>(g.ops());
        int at = injectStaleRead(ops);

        long t0 = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(ops, g.finalState());
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("checked %d ops with an injected stale read in %d ms: %s%n", ops.size(), elapsedMs,
                result.summary());

        assertThat(result.total()).as(result.summary()).isEqualTo(1);
        Violation v = result.violations().getFirst();
        assertThat(v.rule()).isIn(Rule.STALE_READ, Rule.READ_WENT_BACK);
        assertThat(v.opIds().getFirst()).isEqualTo(ops.get(at).id());
        assertThat(elapsedMs).as("check time").isLessThan(1_000);
    }

    /**
     * Replaces a value read in the second half of {@code ops} by a read of an older acknowledged PUT of its key,
     * one that a newer acknowledged PUT had replaced before the read was invoked. Returns its index.
     */
    private static int injectStaleRead(List<Op> ops) {
        for (int i = ops.size() / 2; i < ops.size(); i++) {
            Op read = ops.get(i);
            if (!read.isValueRead()) {
                continue;
            }
            Op oldest = null;
            Op newest = null;
            for (Op op : ops) {
                if (op.key().equals(read.key()) && op.isPut() && op.isOk() && op.end() < read.start()) {
                    oldest = oldest == null || op.version() < oldest.version() ? op : oldest;
                    newest = newest == null || op.version() > newest.version() ? op : newest;
                }
            }
            if (oldest != null && oldest.version() < newest.version()) {
                ops.set(i, new Op(read.id(), OpType.GET, read.key(), null, read.start(), read.end(), Outcome.OK,
                        oldest.version(), oldest.value(), null));
                return i;
            }
        }
        throw new AssertionError("no read to make stale");
    }

    record Generated(List<Op> ops, Map<String, FinalRead> finalState) {
    }

    /**
     * A sequential register per key, driven by {@code n} random ops whose linearization points are increasing
     * times; each op's [start, end] is drawn around its point so that up to ~20 ops overlap. Versions come from a
     * per-key counter, incremented by every write that takes effect. Some writes FAIL (no effect), some end
     * UNKNOWN or stay PENDING (taking effect or not, at random); some GETs end UNKNOWN or FAIL. The final state is
     * the registers' contents at the end, so the history is linearizable by construction.
     */
    static Generated simulate(long seed, int n, int keys) {
        Random random = new Random(seed);
        String[] value = new String[keys];
        long[] version = new long[keys];
        List<Op> ops = new ArrayList<>(n);
        long point = 0;
        for (int id = 1; id <= n; id++) {
            point += 1 + random.nextInt(2_000);
            int k = random.nextInt(keys);
            String key = "key-" + k;
            long start = point - random.nextInt(20_000);
            long end = point + random.nextInt(20_000);
            int dice = random.nextInt(100);
            int fate = random.nextInt(100);
            boolean takesEffect = fate < 88 || (fate >= 93 && random.nextBoolean());
            Outcome outcome = fate < 88 ? Outcome.OK : fate < 93 ? Outcome.FAIL : fate < 98 ? Outcome.UNKNOWN
                    : Outcome.PENDING;
            Op op;
            if (dice < 45) {
                String written = "v" + id + "@" + key;
                op = Op.invoked(id, OpType.PUT, key, written, start);
                if (takesEffect) {
                    value[k] = written;
                    version[k]++;
                }
                op = finish(op, end, outcome, version[k], null);
            } else if (dice < 60) {
                op = Op.invoked(id, OpType.DELETE, key, null, start);
                boolean present = value[k] != null;
                if (takesEffect && present) {
                    value[k] = null;
                    version[k]++;
                }
                op = finish(op, end, outcome, present ? version[k] : 0, null);
            } else {
                op = Op.invoked(id, OpType.GET, key, null, start);
                op = finish(op, end, outcome, value[k] == null ? 0 : version[k], value[k]);
            }
            ops.add(op);
        }
        Map<String, FinalRead> finalState = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            finalState.put("key-" + k, value[k] == null ? FinalRead.absent() : FinalRead.of(value[k], version[k]));
        }
        return new Generated(List.copyOf(ops), Map.copyOf(finalState));
    }

    private static Op finish(Op op, long end, Outcome outcome, long version, String valueRead) {
        return switch (outcome) {
            case OK -> op.completed(end, Outcome.OK, version, op.isGet() ? valueRead : null, null);
            case FAIL -> op.completed(end, Outcome.FAIL, 0, null, "503");
            case UNKNOWN -> op.completed(end, Outcome.UNKNOWN, 0, null, "timeout");
            case PENDING -> op;
        };
    }
}
