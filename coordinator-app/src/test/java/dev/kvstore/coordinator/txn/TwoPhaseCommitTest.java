package dev.kvstore.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's ordering rules, with participants faked in memory. */
class TwoPhaseCommitTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TxnRegistry registry = new TxnRegistry(Clock.systemUTC());
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Replica> replicas = List.of(new Replica("a", "http://a", Table.OWN),
            new Replica("b", "http://b", Table.PREV));

    /** Votes yes with the given versions and records what the registry said when each call came. */
    private ParticipantClient participants(long versionA, long versionB) {
        return new ParticipantClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                seen.add("prepare " + url + " while " + registry.status(txId).state());
                return Vote.yes(txId, url.equals("http://a") ? versionA : versionB);
            }

            @Override
            public void commit(String url, String txId, long version) {
                seen.add("commit " + url + " while " + registry.status(txId).state());
            }

            @Override
            public void abort(String url, String txId) {
                seen.add("abort " + url + " while " + registry.status(txId).state());
            }

            @Override
            public Optional<NodeValue> read(String url, Table table, String key) {
                return Optional.empty();
            }
        };
    }

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void nodesAskingDuringVotingHearPreparedAndDuringCommitHearCommitted() {
        TwoPhaseCommit txn = new TwoPhaseCommit(participants(0, 0), registry, new VersionClock(Clock.systemUTC()),
                executor, Duration.ofSeconds(1));

        txn.write(replicas, Write.put("k", new byte[0], "text/plain", Condition.NONE));

        assertThat(seen).containsExactlyInAnyOrder(
                "prepare http://a while PREPARED", "prepare http://b while PREPARED",
                "commit http://a while COMMITTED", "commit http://b while COMMITTED");
    }

    @Test
    void failedConditionIsDecidedAbortBeforeAnyAbortIsSent() {
        TwoPhaseCommit txn = new TwoPhaseCommit(participants(0, 0), registry, new VersionClock(Clock.systemUTC()),
                executor, Duration.ofSeconds(1));

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], null, new Condition.MustExist()));

        assertThat(outcome).isEqualTo(new WriteOutcome.ConditionFailed(0));
        assertThat(seen).contains("abort http://a while ABORTED", "abort http://b while ABORTED")
                .noneMatch(call -> call.startsWith("commit"));
    }

    @Test
    void newKeyIsReportedCreatedAndAnExistingOneOnEitherReplicaIsNot() {
        VersionClock versions = new VersionClock(Clock.systemUTC());
        Write write = Write.put("k", new byte[0], null, Condition.NONE);

        assertThat(new TwoPhaseCommit(participants(0, 0), registry, versions, executor, Duration.ofSeconds(1))
                .write(replicas, write)).isInstanceOfSatisfying(WriteOutcome.Committed.class,
                        c -> assertThat(c.created()).isTrue());
        assertThat(new TwoPhaseCommit(participants(0, 4), registry, versions, executor, Duration.ofSeconds(1))
                .write(replicas, write)).isInstanceOfSatisfying(WriteOutcome.Committed.class,
                        c -> assertThat(c.created()).isFalse());
        assertThat(registry.status("anything").state()).isEqualTo(TxnState.UNKNOWN);
    }

    @Test
    void versionsIncreaseAboveVotesAboveTheClockAndAboveEachOther() {
        Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        VersionClock versions = new VersionClock(frozen);
        long clockMicros = frozen.millis() * 1000;

        long first = versions.next(0);
        long second = versions.next(0);
        long aboveVote = versions.next(clockMicros + 1_000_000);

        assertThat(first).isEqualTo(clockMicros);
        assertThat(second).isEqualTo(clockMicros + 1);
        assertThat(aboveVote).isEqualTo(clockMicros + 1_000_001);
        assertThat(versions.next(0)).isEqualTo(clockMicros + 1_000_002);
    }
}
