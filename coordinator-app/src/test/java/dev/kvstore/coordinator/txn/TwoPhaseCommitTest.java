package dev.kvstore.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.coordinator.nodeclient.NodeValue;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's ordering rules, with participants faked in memory. */
class TwoPhaseCommitTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TxnRegistry registry = new TxnRegistry(Clock.systemUTC());
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Long> prepared = new ConcurrentHashMap<>();
    private final List<Replica> replicas = List.of(new Replica("a", "http://a", Table.OWN),
            new Replica("b", "http://b", Table.PREV));

    /** Votes yes with the given versions and records what the registry said when each call came. */
    private NodeClient participants(long versionA, long versionB) {
        return new NodeClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                seen.add("prepare " + url + " while " + registry.status(txId).state());
                long current = url.equals("http://a") ? versionA : versionB;
                if (request.mustExist() && current == 0) {
                    return Vote.no(txId, Vote.CONFLICT, 0); // as a participant does, having forced its abort
                }
                prepared.put(url, request.version());
                return Vote.yes(txId, current);
            }

            @Override
            public void commit(String url, String txId, long version) {
                seen.add("commit " + url + " at " + (version == prepared.get(url) ? "the prepared version" : version)
                        + " while " + registry.status(txId).state());
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

    /** Votes yes and records aborts; each test says what a COMMIT does. */
    private abstract class YesVoters implements NodeClient {

        @Override
        public Vote prepare(String url, String txId, PrepareRequest request) {
            return Vote.yes(txId, 0);
        }

        @Override
        public void abort(String url, String txId) {
            seen.add("abort " + url);
        }

        @Override
        public Optional<NodeValue> read(String url, Table table, String key) {
            return Optional.empty();
        }
    }

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void nodesAskingDuringVotingHearPreparedAndDuringCommitHearCommittedAtThePreparedVersion() {
        TwoPhaseCommit txn = new TwoPhaseCommit(participants(0, 0), registry, new VersionClock(Clock.systemUTC()),
                executor);

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], "text/plain", Precondition.NONE));
        txn.awaitCommits("k");

        assertThat(seen).containsExactlyInAnyOrder(
                "prepare http://a while PREPARED", "prepare http://b while PREPARED",
                "commit http://a at the prepared version while COMMITTED",
                "commit http://b at the prepared version while COMMITTED");
        assertThat(outcome).isEqualTo(new WriteOutcome.Committed(prepared.get("http://a"), true));
    }

    @Test
    void writtenIsAnsweredOnceBothVotesAreInBeforeAnyCommitIsAcknowledged() throws Exception {
        CountDownLatch commitsHeld = new CountDownLatch(1);
        NodeClient slowCommits = new YesVoters() {
            @Override
            public void commit(String url, String txId, long version) {
                try {
                    commitsHeld.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add("commit " + url);
            }
        };
        TwoPhaseCommit txn = new TwoPhaseCommit(slowCommits, registry, new VersionClock(Clock.systemUTC()), executor);

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], null, Precondition.NONE));

        assertThat(outcome).isInstanceOf(WriteOutcome.Committed.class);
        assertThat(seen).isEmpty();
        assertThat(registry.unacknowledged(TxnState.COMMITTED)).as("the decision stays to be asked for").isOne();
        commitsHeld.countDown();
        txn.awaitCommits("k");
        assertThat(seen).containsExactlyInAnyOrder("commit http://a", "commit http://b");
        assertThat(registry.size()).isZero();
    }

    @Test
    void waitingForAKeysLastCommitsSendsTheOnesLingeringForALaterBatchAtOnce() {
        List<String> hurried = new CopyOnWriteArrayList<>();
        CountDownLatch bothHurried = new CountDownLatch(2);
        NodeClient lingeringCommits = new YesVoters() {
            @Override
            public void commit(String url, String txId, long version) {
                try {
                    bothHurried.await(); // as a lingering COMMIT waits for a batch to ride
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add("commit " + url);
            }

            @Override
            public void hurryCommits(String url) {
                hurried.add(url);
                bothHurried.countDown();
            }

        };
        TwoPhaseCommit txn = new TwoPhaseCommit(lingeringCommits, registry, new VersionClock(Clock.systemUTC()), executor);
        txn.write(replicas, Write.put("k", new byte[0], null, Precondition.NONE));

        txn.awaitCommits("k");

        assertThat(hurried).containsExactlyInAnyOrder("http://a", "http://b");
        assertThat(seen).containsExactlyInAnyOrder("commit http://a", "commit http://b");
    }

    @Test
    void aNoVoteAnswersNotWrittenEvenWhenNoAbortIsConfirmed() {
        NodeClient lockedOnA = new NodeClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                return url.equals("http://a") ? Vote.no(txId, Vote.LOCKED, 0) : Vote.yes(txId, 0);
            }

            @Override
            public void commit(String url, String txId, long version) {
                seen.add("commit " + url);
            }

            @Override
            public void abort(String url, String txId) {
                throw new NodeUnavailableException(url, "connection reset", null);
            }

            @Override
            public Optional<NodeValue> read(String url, Table table, String key) {
                return Optional.empty();
            }
        };
        TwoPhaseCommit txn = new TwoPhaseCommit(lockedOnA, registry, new VersionClock(Clock.systemUTC()), executor);

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], null, Precondition.NONE));

        assertThat(outcome).as("a forced the abort before it voted no").isInstanceOf(WriteOutcome.Unavailable.class);
        assertThat(seen).isEmpty();
    }

    @Test
    void failedConditionIsCheckedByTheReplicasAndDecidedAbortBeforeAnyAbortIsSent() {
        TwoPhaseCommit txn = new TwoPhaseCommit(participants(0, 0), registry, new VersionClock(Clock.systemUTC()),
                executor);

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], null, new Precondition.MustExist()));

        assertThat(outcome).isEqualTo(new WriteOutcome.ConditionFailed(0));
        assertThat(seen).contains("abort http://a while ABORTED", "abort http://b while ABORTED")
                .noneMatch(call -> call.startsWith("commit"));
    }

    @Test
    void newKeyIsReportedCreatedAndAnExistingOneOnEitherReplicaIsNot() {
        VersionClock versions = new VersionClock(Clock.systemUTC());
        Write write = Write.put("k", new byte[0], null, Precondition.NONE);

        assertThat(new TwoPhaseCommit(participants(0, 0), registry, versions, executor)
                .write(replicas, write)).isInstanceOfSatisfying(WriteOutcome.Committed.class,
                        c -> assertThat(c.created()).isTrue());
        assertThat(new TwoPhaseCommit(participants(0, 4), registry, versions, executor)
                .write(replicas, write)).isInstanceOfSatisfying(WriteOutcome.Committed.class,
                        c -> assertThat(c.created()).isFalse());
        assertThat(registry.status("anything").state()).isEqualTo(TxnState.UNKNOWN);
    }

    @Test
    void aVersionNotAboveADeletionAReplicaRemembersIsChosenAgainAboveItYetTheKeyCountsAsNew() {
        long deletedAt = 5_000_000_000_000_000L;
        NodeClient deletedOnA = new NodeClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                seen.add("prepare " + url + (request.version() > deletedAt ? " above" : " at or below") + " the deletion");
                return url.equals("http://a") && request.version() <= deletedAt
                        ? Vote.no(txId, Vote.STALE_VERSION, 0, deletedAt) : Vote.yes(txId, 0, 0);
            }

            @Override
            public void commit(String url, String txId, long version) {
            }

            @Override
            public void abort(String url, String txId) {
            }

            @Override
            public Optional<NodeValue> read(String url, Table table, String key) {
                return Optional.empty();
            }
        };
        TwoPhaseCommit txn = new TwoPhaseCommit(deletedOnA, registry, new VersionClock(Clock.systemUTC()), executor);

        WriteOutcome outcome = txn.write(replicas, Write.put("k", new byte[0], null, Precondition.NONE));

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Committed.class, c -> {
            assertThat(c.version()).isGreaterThan(deletedAt);
            assertThat(c.created()).isTrue();
        });
        assertThat(seen).containsExactlyInAnyOrder("prepare http://a at or below the deletion",
                "prepare http://b at or below the deletion", "prepare http://a above the deletion",
                "prepare http://b above the deletion");
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

    /** b accepts connections and never answers (each call fails as if timed out); c fails only the first abort. */
    private final class SilentB implements NodeClient {
        final List<String> aborts = new CopyOnWriteArrayList<>();
        final Set<String> failedOnceAtC = ConcurrentHashMap.newKeySet();

        @Override
        public Vote prepare(String url, String txId, PrepareRequest request) {
            if (url.equals("http://b")) {
                throw new NodeUnavailableException(url, "read timed out", null);
            }
            return Vote.yes(txId, 0);
        }

        @Override
        public void commit(String url, String txId, long version) {
        }

        @Override
        public void abort(String url, String txId) {
            aborts.add(url + " " + txId);
            if (url.equals("http://b") || url.equals("http://c") && failedOnceAtC.add(txId)) {
                throw new NodeUnavailableException(url, "read timed out", null);
            }
        }

        @Override
        public Optional<NodeValue> read(String url, Table table, String key) {
            return Optional.empty();
        }
    }

    @Test
    void retriesWaitOnANodeThatDoesNotAnswerOncePerRoundNotOncePerDecision() {
        SilentB nodes = new SilentB();
        TwoPhaseCommit txn = new TwoPhaseCommit(nodes, registry, new VersionClock(Clock.systemUTC()), executor);
        List<Replica> bAndC = List.of(new Replica("b", "http://b", Table.OWN),
                new Replica("c", "http://c", Table.PREV));
        for (int i = 0; i < 5; i++) {
            assertThat(txn.write(bAndC, Write.put("k" + i, new byte[0], null, Precondition.NONE)))
                    .as("c voted yes and its abort failed, b never answered: nobody confirmed the write did not happen")
                    .isInstanceOf(WriteOutcome.Unknown.class);
        }
        executor.close();
        nodes.aborts.clear();

        int delivered = txn.retryPending(id -> Optional.of("http://" + id));

        assertThat(nodes.aborts.stream().filter(a -> a.startsWith("http://b"))).hasSize(1);
        assertThat(nodes.aborts.stream().filter(a -> a.startsWith("http://c"))).hasSize(5);
        assertThat(delivered).isEqualTo(5);
    }

    @Test
    void retriesGoToTheNodesUrlNowAndWaitWhileItIsNotRegistered() {
        SilentB nodes = new SilentB();
        TwoPhaseCommit txn = new TwoPhaseCommit(nodes, registry, new VersionClock(Clock.systemUTC()), executor);
        assertThat(txn.write(List.of(new Replica("b", "http://b", Table.OWN), new Replica("c", "http://c", Table.PREV)),
                Write.put("k", new byte[0], null, Precondition.NONE))).isInstanceOf(WriteOutcome.Unknown.class);
        nodes.aborts.clear();

        assertThat(txn.retryPending(id -> Optional.empty())).as("neither registered now").isZero();
        assertThat(nodes.aborts).isEmpty();
        assertThat(txn.retryPending(id -> id.equals("c") ? Optional.of("http://c:2") : Optional.empty())).isOne();

        assertThat(nodes.aborts).singleElement().asString().startsWith("http://c:2");
    }

    @Test
    void clientIsAnsweredWithoutWaitingForTheAbortOfTheReplicaThatCouldNotPrepare() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        List<String> aborted = new CopyOnWriteArrayList<>();
        NodeClient nodes = new NodeClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                if (url.equals("http://b")) {
                    throw new NodeUnavailableException(url, "read timed out", null);
                }
                return Vote.yes(txId, 0);
            }

            @Override
            public void commit(String url, String txId, long version) {
            }

            @Override
            public void abort(String url, String txId) {
                if (url.equals("http://b")) {
                    try {
                        stuck.await(); // b accepts the connection and never answers
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                aborted.add(url);
            }

            @Override
            public Optional<NodeValue> read(String url, Table table, String key) {
                return Optional.empty();
            }
        };
        TwoPhaseCommit txn = new TwoPhaseCommit(nodes, registry, new VersionClock(Clock.systemUTC()), executor);
        try {
            Future<WriteOutcome> write = executor.submit(
                    () -> txn.write(replicas, Write.put("k", new byte[0], null, Precondition.NONE)));

            assertThat(write.get(10, TimeUnit.SECONDS)).isInstanceOf(WriteOutcome.Unavailable.class);
            assertThat(aborted).containsExactly("http://a");
        } finally {
            stuck.countDown();
        }
    }
}
