package dev.kvstore.coordinator.txn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.DECIDED;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.YES;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.batchOf;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.batchWhere;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.no;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.okCbor;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.sent;
import static dev.kvstore.coordinator.txn.NodeBatchStubs.sentWhere;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.kvstore.coordinator.nodeclient.BatchingNodeClient;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnState;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit as production sends it, through per-node batches (CBOR) over real HTTP, against two
 * fake nodes (WireMock): every failure on prepare (a no vote, a message's error, a server error, a
 * timeout, a reset, an unreachable node) aborts both replicas and commits nothing; a commit is sent only
 * after two yes votes, and one that fails is retried until the replica confirms it; a batch whose
 * connection was reset before the node saw it is sent once more.
 */
class TwoPhaseCommitHttpTest {

    private final WireMockServer a = new WireMockServer(options().dynamicPort());
    private final WireMockServer b = new WireMockServer(options().dynamicPort());
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TxnRegistry registry = new TxnRegistry(Clock.systemUTC());
    private TwoPhaseCommit txn;
    private List<Replica> replicas;

    @BeforeEach
    void start() {
        a.start();
        b.start();
        txn = new TwoPhaseCommit(new BatchingNodeClient(NodeHttpFixture.client(), executor, 2, 256, 1 << 21, Duration.ZERO), registry,
                new VersionClock(Clock.systemUTC()), executor);
        replicas = List.of(new Replica("a", a.baseUrl(), Table.OWN), new Replica("b", b.baseUrl(), Table.PREV));
        for (WireMockServer node : List.of(a, b)) {
            node.stubFor(batchOf("PREPARE").willReturn(okCbor(YES.formatted(0))));
            node.stubFor(batchOf("COMMIT").willReturn(okCbor(DECIDED.formatted("COMMITTED"))));
            node.stubFor(batchOf("ABORT").willReturn(okCbor(DECIDED.formatted("ABORTED"))));
        }
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
        executor.close();
    }

    private WriteOutcome put() {
        return txn.write(replicas, Write.put("k", new byte[] {1, 2}, "text/plain", Precondition.NONE));
    }

    /** The abort of a replica that could not prepare is not waited for, so it may arrive a moment later. */
    private void assertNothingCommittedAndBothAborted() {
        for (WireMockServer node : List.of(a, b)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent(node, "ABORT") == 1);
            assertThat(sent(node, "COMMIT")).isZero();
        }
    }

    @Test
    void bothYesVotesCommitBothAtTheVersionTheyPrepared() {
        a.stubFor(batchOf("PREPARE").willReturn(okCbor(YES.formatted(5))));

        WriteOutcome outcome = put();
        txn.awaitCommits("k");

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Committed.class, committed -> {
            assertThat(committed.created()).isFalse();
            for (WireMockServer node : List.of(a, b)) {
                node.verify(1, sentWhere(m -> m.kind() == TxnMessage.Kind.PREPARE
                        && m.prepare().version() == committed.version()));
                node.verify(1, sentWhere(m -> m.kind() == TxnMessage.Kind.COMMIT
                        && m.version() == committed.version()));
                assertThat(sent(node, "ABORT")).isZero();
            }
        });
        assertThat(registry.size()).as("forgotten once both acknowledged").isZero();
    }

    @Test
    void eachReplicaIsPreparedForItsTableWithTheOthersNodeIdAsPeerAndTheValueAsBytes() {
        put();

        a.verify(sentWhere(m -> m.prepare() != null && m.prepare().table() == Table.OWN
                && m.prepare().peers().equals(List.of("b")) && Arrays.equals(m.prepare().value(), new byte[] {1, 2})));
        b.verify(sentWhere(m -> m.prepare() != null && m.prepare().table() == Table.PREV
                && m.prepare().peers().equals(List.of("a"))));
    }

    @Test
    void noVoteAbortsBothAndCommitsNothing() {
        b.stubFor(batchOf("PREPARE").willReturn(okCbor(no("LOCKED", 0))));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void conflictVoteIsAFailedConditionAndCommitsNothing() {
        b.stubFor(batchOf("PREPARE").willReturn(okCbor(no("CONFLICT", 7))));

        assertThat(put()).isEqualTo(new WriteOutcome.ConditionFailed(7));
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void aMessagesErrorInTheReplyAbortsTheWriteOnBoth() {
        b.stubFor(batchOf("PREPARE").willReturn(okCbor("""
                {"replies": [{"error": "STORAGE_UNAVAILABLE", "detail": "this node cannot make writes durable now"}]}""")));

        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("cannot make writes durable"));
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void serverErrorOnPrepareAbortsBoth() {
        b.stubFor(batchOf("PREPARE").willReturn(aResponse().withStatus(500)));

        assertThat(put()).isInstanceOfSatisfying(WriteOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.nodeId()).isEqualTo("b"));
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void timeoutOnPrepareAbortsBoth() {
        b.stubFor(batchOf("PREPARE").willReturn(okCbor(YES.formatted(0)).withFixedDelay(2_000)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void connectionResetOnPrepareTwiceAbortsBoth() {
        b.stubFor(batchOf("PREPARE").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void aBatchWhoseConnectionWasResetIsSentOnceMore() {
        b.stubFor(batchOf("PREPARE").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset once"));
        b.stubFor(batchOf("PREPARE").inScenario("flaky").whenScenarioStateIs("reset once")
                .willReturn(okCbor(YES.formatted(0))));

        assertThat(put()).isInstanceOf(WriteOutcome.Committed.class);
        assertThat(sent(b, "PREPARE")).isEqualTo(2);
    }

    @Test
    void unreachableNodeOnPrepareAbortsTheOther() {
        b.stop();

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent(a, "ABORT") == 1);
        assertThat(sent(a, "COMMIT")).isZero();
    }

    @Test
    void connectionResetOnCommitIsRetriedUntilTheReplicaConfirms() {
        b.stubFor(batchOf("COMMIT").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset once"));
        b.stubFor(batchOf("COMMIT").inScenario("flaky").whenScenarioStateIs("reset once")
                .willReturn(okCbor(DECIDED.formatted("COMMITTED"))));

        assertThat(put()).isInstanceOf(WriteOutcome.Committed.class);
        txn.awaitCommits("k");
        assertThat(sent(b, "COMMIT")).isEqualTo(2);
        assertThat(sent(b, "ABORT")).isZero();
    }

    @Test
    void commitThatKeepsFailingStaysDecidedAndIsDeliveredLater() {
        b.stubFor(batchOf("COMMIT").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        WriteOutcome outcome = put();
        txn.awaitCommits("k");

        assertThat(outcome).as("both votes were in").isInstanceOf(WriteOutcome.Committed.class);
        TxnRegistry.Pending pending = registry.pending().getFirst();
        assertThat(registry.status(pending.txId()).state()).as("a node in doubt is told COMMITTED")
                .isEqualTo(TxnState.COMMITTED);
        assertThat(sent(b, "ABORT")).isZero();

        b.stubFor(batchOf("COMMIT").willReturn(okCbor(DECIDED.formatted("COMMITTED"))));
        assertThat(txn.retryPending(id -> replicas.stream().filter(r -> r.nodeId().equals(id)).map(Replica::url)
                .findFirst())).isOne();
        assertThat(registry.size()).isZero();
    }

    @Test
    void aCommitThatTimesOutIsNeverAborted() {
        b.stubFor(batchOf("COMMIT").willReturn(okCbor(DECIDED.formatted("COMMITTED")).withFixedDelay(2_000)));

        assertThat(put()).isInstanceOf(WriteOutcome.Committed.class);
        txn.awaitCommits("k");
        assertThat(sent(a, "COMMIT")).isOne();
        assertThat(sent(b, "ABORT")).isZero();
        assertThat(registry.unacknowledged(TxnState.COMMITTED)).isOne();
    }

    @Test
    void theOutcomeIsUnknownWhenOneReplicaIsSilentAndTheOtherRefusesTheAbortWhileSettlingWithIt() {
        b.stubFor(batchOf("PREPARE").willReturn(okCbor(YES.formatted(0)).withFixedDelay(2_000)));
        a.stubFor(batchOf("ABORT").willReturn(okCbor("""
                {"replies": [{"error": "KEY_IN_DOUBT", "detail": "being settled with the peer replica"}]}""")));
        b.stubFor(batchOf("ABORT").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Unknown.class,
                unknown -> assertThat(unknown.nodeId()).isEqualTo("b"));
        assertThat(sent(a, "COMMIT") + sent(b, "COMMIT")).isZero();
    }

    @Test
    void deleteOfAKeyNeitherReplicaHoldsIsRefusedByThemAndAborted() {
        for (WireMockServer node : List.of(a, b)) {
            node.stubFor(batchWhere(m -> m.prepare() != null && m.prepare().mustExist())
                    .willReturn(okCbor(no("CONFLICT", 0))));
        }
        WriteOutcome outcome = txn.write(replicas, Write.delete("k", new Precondition.MustExist()));

        assertThat(outcome).isEqualTo(new WriteOutcome.ConditionFailed(0));
        assertNothingCommittedAndBothAborted();
    }
}
