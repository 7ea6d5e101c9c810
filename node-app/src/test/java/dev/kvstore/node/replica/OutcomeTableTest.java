package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.TxnState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutcomeTableTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final OutcomeTable table = new OutcomeTable();

    @Test
    void anOutcomeIsFoundByItsIdWhateverItsShape() {
        String uuid = UUID.randomUUID().toString();
        table.put(uuid, new Outcome(TxnState.COMMITTED, 7, T0));
        table.put("tx-1", new Outcome(TxnState.ABORTED, 0, T0.plusMillis(5)));

        assertThat(table.get(uuid)).isEqualTo(new Outcome(TxnState.COMMITTED, 7, T0));
        assertThat(table.get(new String(uuid))).isEqualTo(new Outcome(TxnState.COMMITTED, 7, T0));
        assertThat(table.get("tx-1")).isEqualTo(new Outcome(TxnState.ABORTED, 0, T0.plusMillis(5)));
        assertThat(table.get(uuid.toUpperCase())).isNull();
        assertThat(table.get(UUID.randomUUID().toString())).isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void aSecondPutReplacesTheFirstWithoutCountingTwice() {
        String uuid = UUID.randomUUID().toString();
        table.put(uuid, new Outcome(TxnState.ABORTED, 0, T0));
        table.put(uuid, new Outcome(TxnState.COMMITTED, 9, T0.plusSeconds(1)));

        assertThat(table.get(uuid)).isEqualTo(new Outcome(TxnState.COMMITTED, 9, T0.plusSeconds(1)));
        assertThat(table.size()).isOne();
    }

    @Test
    void pruningForgetsExactlyTheOutcomesDecidedBeforeTheCutoffAndReportsEachForgottenCommit() {
        Map<String, Outcome> model = new HashMap<>();
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            String txId = i % 100 == 0 ? "tx-" + i : new UUID(random.nextLong(), random.nextLong()).toString();
            Outcome outcome = random.nextBoolean()
                    ? new Outcome(TxnState.COMMITTED, i + 1, T0.plusMillis(random.nextInt(1000)))
                    : new Outcome(TxnState.ABORTED, 0, T0.plusMillis(random.nextInt(1000)));
            table.put(txId, outcome);
            model.put(txId, outcome);
        }
        Instant cutoff = T0.plusMillis(500);
        List<Long> forgotten = new ArrayList<>();

        int pruned = table.prune(cutoff, forgotten::add);

        List<Long> expectedForgotten = new ArrayList<>();
        int expectedPruned = 0;
        for (Map.Entry<String, Outcome> e : model.entrySet()) {
            boolean old = e.getValue().decidedAt().isBefore(cutoff);
            assertThat(table.get(e.getKey())).as(e.getKey()).isEqualTo(old ? null : e.getValue());
            if (old) {
                expectedPruned++;
                if (e.getValue().state() == TxnState.COMMITTED) {
                    expectedForgotten.add(e.getValue().version());
                }
            }
        }
        assertThat(pruned).isEqualTo(expectedPruned);
        assertThat(forgotten).containsExactlyInAnyOrderElementsOf(expectedForgotten);
        assertThat(table.size()).isEqualTo(model.size() - expectedPruned);
    }

    @Test
    void entriesAddedAfterManyPrunesAreStillFound() {
        // Rounds of adds and prunes that grow every stripe, fill it up to three quarters and shrink it
        // again: a deletion inside a run of entries must leave every later entry of the run reachable.
        Map<String, Outcome> live = new HashMap<>();
        Random random = new Random(4);
        for (int round = 0; round < 24; round++) {
            int adds = round < 12 ? 20_000 : 500;
            for (int i = 0; i < adds; i++) {
                String txId = new UUID(random.nextLong(), round * 100_000L + i).toString();
                Outcome outcome = new Outcome(TxnState.COMMITTED, round * 100_000L + i, T0.plusSeconds(round));
                table.put(txId, outcome);
                live.put(txId, outcome);
            }
            Instant cutoff = T0.plusSeconds(round - (round < 12 ? 3 : 0));
            table.prune(cutoff, version -> { });
            live.values().removeIf(outcome -> outcome.decidedAt().isBefore(cutoff));
            for (Map.Entry<String, Outcome> e : live.entrySet()) {
                assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(table.size()).isEqualTo(live.size());
        }
    }

    @Test
    void aCaptureYieldsEveryOutcomeOnceAsTheRecordASnapshotWrites() {
        List<LogRecord.Decided> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String txId = i % 7 == 0 ? "other-" + i : UUID.randomUUID().toString();
            Outcome outcome = new Outcome(i % 2 == 0 ? TxnState.COMMITTED : TxnState.ABORTED, i % 2 == 0 ? i : 0,
                    T0.plusMillis(i));
            table.put(txId, outcome);
            expected.add(new LogRecord.Decided(txId, outcome.state(), outcome.version(), outcome.decidedAt()));
        }

        OutcomeTable.Captured captured = table.capture();
        table.put(UUID.randomUUID().toString(), new Outcome(TxnState.ABORTED, 0, T0));

        List<LogRecord.Decided> records = new ArrayList<>();
        captured.forEach(records::add);
        assertThat(captured.size()).isEqualTo(3000);
        assertThat(records).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void clearingForgetsEverything() {
        String uuid = UUID.randomUUID().toString();
        table.put(uuid, new Outcome(TxnState.COMMITTED, 1, T0));
        table.put("tx", new Outcome(TxnState.COMMITTED, 2, T0));

        table.clear();

        assertThat(table.get(uuid)).isNull();
        assertThat(table.get("tx")).isNull();
        assertThat(table.size()).isZero();
        assertThat(table.capture()).isEmpty();
    }
}
