package dev.kvstore.e2e.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryTest {

    /** A clock that advances by 1000 at every reading: every event gets its own, increasing time. */
    private static History historyWithFakeClock() {
        AtomicLong now = new AtomicLong();
        return new History(() -> now.addAndGet(1_000));
    }

    @Test
    void concurrentRecordingFromEightThreadsLosesNothing() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        History history = new History();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    List<Long> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        long id = history.invoke(OpType.PUT, "key-" + thread, thread + ":" + i);
                        ids.add(id);
                        switch (i % 4) {
                            case 0 -> history.ok(id, i + 1, null);
                            case 1 -> history.fail(id, "503");
                            case 2 -> history.unknown(id, "timeout");
                            default -> { } // left pending
                        }
                    }
                    return ids;
                }));
            }
            go.countDown();
            Set<Long> returned = new HashSet<>();
            for (Future<List<Long>> result : results) {
                returned.addAll(result.get(1, TimeUnit.MINUTES));
            }
            assertThat(returned).hasSize(threads * perThread);

            List<Op> ops = history.ops();
            assertThat(ops).hasSize(threads * perThread);
            assertThat(history.size()).isEqualTo(threads * perThread);
            assertThat(ops).extracting(Op::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(returned)
                    .isSorted();
            for (Op op : ops) {
                String[] threadAndIndex = op.value().split(":");
                int i = Integer.parseInt(threadAndIndex[1]);
                assertThat(op.key()).isEqualTo("key-" + threadAndIndex[0]);
                Outcome expected = switch (i % 4) {
                    case 0 -> Outcome.OK;
                    case 1 -> Outcome.FAIL;
                    case 2 -> Outcome.UNKNOWN;
                    default -> Outcome.PENDING;
                };
                assertThat(op.outcome()).as("op %s", op).isEqualTo(expected);
                if (expected == Outcome.OK) {
                    assertThat(op.version()).isEqualTo(i + 1);
                }
                if (expected == Outcome.PENDING) {
                    assertThat(op.end()).isEqualTo(Op.NO_END);
                } else {
                    assertThat(op.end()).isGreaterThanOrEqualTo(op.start());
                }
            }
            // Per thread, in invocation order: ids and start times increase.
            for (int t = 0; t < threads; t++) {
                String key = "key-" + t;
                List<Op> mine = ops.stream().filter(op -> op.key().equals(key)).toList();
                assertThat(mine).hasSize(perThread);
                assertThat(mine).extracting(Op::start).isSorted();
            }
        }
    }

    @Test
    void recordsTimesOutcomesAndAnswers() {
        History history = historyWithFakeClock();
        long put = history.invoke(OpType.PUT, "k", "a");           // t=1000
        history.ok(put, 7, null);                                   // t=2000
        long get = history.invoke(OpType.GET, "k", null);           // t=3000
        history.ok(get, 7, "a");                                    // t=4000
        long absent = history.invoke(OpType.GET, "gone", null);
        history.ok(absent, 0, null);
        long delete = history.invoke(OpType.DELETE, "k", null);
        history.fail(delete, "HTTP 503");
        long slow = history.invoke(OpType.PUT, "k", "b");
        history.unknown(slow, "HTTP 504");

        List<Op> ops = history.ops();
        assertThat(ops.get(0)).isEqualTo(new Op(put, OpType.PUT, "k", "a", 1_000, 2_000, Outcome.OK, 7, null, null));
        assertThat(ops.get(1)).isEqualTo(new Op(get, OpType.GET, "k", null, 3_000, 4_000, Outcome.OK, 7, "a", null));
        assertThat(ops.get(1).isValueRead()).isTrue();
        assertThat(ops.get(2).observedAbsence()).isTrue();
        assertThat(ops.get(3).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(ops.get(3).why()).isEqualTo("HTTP 503");
        assertThat(ops.get(4).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(ops.get(4).isIndeterminate()).isTrue();
        assertThat(ops.get(4).why()).isEqualTo("HTTP 504");
    }

    @Test
    void pendingOpsCountAsUnknown() {
        // The pending write took effect: a read saw it, and so did the final state.
        History happened = historyWithFakeClock();
        happened.ok(happened.invoke(OpType.PUT, "k", "a"), 1, null);
        happened.invoke(OpType.PUT, "k", "b");                      // never completed
        happened.ok(happened.invoke(OpType.GET, "k", null), 2, "b");
        Op pending = happened.ops().get(1);
        assertThat(pending.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(pending.isIndeterminate()).isTrue();
        assertThat(pending.end()).isEqualTo(Op.NO_END);
        CheckResult sawIt = LinearizabilityChecker.check(happened.ops(), Map.of("k", FinalRead.of("b", 2)));
        assertThat(sawIt.ok()).as(sawIt.summary()).isTrue();

        // The pending write did not take effect (or not yet).
        History didNot = historyWithFakeClock();
        didNot.ok(didNot.invoke(OpType.PUT, "k", "a"), 1, null);
        didNot.invoke(OpType.PUT, "k", "b");
        didNot.ok(didNot.invoke(OpType.GET, "k", null), 1, "a");
        CheckResult notYet = LinearizabilityChecker.check(didNot.ops(), Map.of("k", FinalRead.of("a", 1)));
        assertThat(notYet.ok()).as(notYet.summary()).isTrue();

        // A pending DELETE explains a final absence an acknowledged PUT alone could not.
        History deleting = historyWithFakeClock();
        deleting.ok(deleting.invoke(OpType.PUT, "k", "a"), 1, null);
        deleting.invoke(OpType.DELETE, "k", null);
        CheckResult gone = LinearizabilityChecker.check(deleting.ops(), Map.of("k", FinalRead.absent()));
        assertThat(gone.ok()).as(gone.summary()).isTrue();
    }

    @Test
    void snapshotsAreImmutableAndUnaffectedByLaterCompletions() {
        History history = historyWithFakeClock();
        long id = history.invoke(OpType.GET, "k", null);
        List<Op> before = history.ops();
        history.ok(id, 0, null);

        assertThat(before.getFirst().outcome()).isEqualTo(Outcome.PENDING);
        assertThat(history.ops().getFirst().outcome()).isEqualTo(Outcome.OK);
        assertThatThrownBy(() -> before.add(before.getFirst())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void misuseIsRejected() {
        History history = historyWithFakeClock();
        long id = history.invoke(OpType.PUT, "k", "a");
        history.ok(id, 1, null);

        assertThatThrownBy(() -> history.ok(id, 2, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed");
        assertThatThrownBy(() -> history.unknown(id, "late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> history.fail(999, "503")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no operation with id 999");
        assertThatThrownBy(() -> history.invoke(OpType.PUT, "k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.invoke(OpType.GET, "k", "x")).isInstanceOf(IllegalArgumentException.class);
        long put = history.invoke(OpType.PUT, "k", "b");
        assertThatThrownBy(() -> history.ok(put, 2, "b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(history.ops()).hasSize(2);
        assertThat(history.ops().get(0).version()).isEqualTo(1);
        assertThat(history.ops().get(1).outcome()).isEqualTo(Outcome.PENDING);
    }
}
