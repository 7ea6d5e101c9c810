package dev.kvstore.coordinator.txn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit over real HTTP against two fake nodes (WireMock): every failure on prepare aborts
 * both replicas and commits nothing; a commit is sent only after two yes votes, and one that fails
 * is retried until the replica confirms it.
 */
class TwoPhaseCommitHttpTest {

    private static final String PREPARE = "/internal/txn/[^/]+/prepare";
    private static final String COMMIT = "/internal/txn/[^/]+/commit";
    private static final String ABORT = "/internal/txn/[^/]+/abort";
    private static final String YES = "{\"txId\":\"t\",\"yes\":true,\"reason\":null,\"currentVersion\":%d}";

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
        ParticipantClient client = NodeHttpFixture.client();
        txn = new TwoPhaseCommit(client, registry, new VersionClock(Clock.systemUTC()), executor, Duration.ofMillis(300));
        replicas = List.of(new Replica("a", a.baseUrl(), Table.OWN), new Replica("b", b.baseUrl(), Table.PREV));
        for (WireMockServer node : List.of(a, b)) {
            node.stubFor(post(urlPathMatching(PREPARE)).willReturn(okJson(YES.formatted(0))));
            node.stubFor(post(urlPathMatching(COMMIT)).willReturn(okJson("{}")));
            node.stubFor(post(urlPathMatching(ABORT)).willReturn(okJson("{}")));
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
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(
                    () -> node.verify(1, postRequestedFor(urlPathMatching(ABORT))));
            node.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
        }
    }

    private static MappingBuilder prepareOn() {
        return post(urlPathMatching(PREPARE));
    }

    @Test
    void bothYesVotesCommitBothAtAVersionAboveEveryVote() {
        a.stubFor(prepareOn().willReturn(okJson(YES.formatted(5))));
        b.stubFor(prepareOn().willReturn(okJson(YES.formatted(9_000_000_000_000_000L))));

        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Committed.class, committed -> {
            assertThat(committed.version()).isGreaterThan(9_000_000_000_000_000L);
            assertThat(committed.created()).isFalse();
            for (WireMockServer node : List.of(a, b)) {
                node.verify(1, postRequestedFor(urlPathMatching(COMMIT))
                        .withRequestBody(equalToJson("{\"version\":" + committed.version() + "}")));
                node.verify(0, postRequestedFor(urlPathMatching(ABORT)));
            }
        });
        assertThat(registry.size()).as("forgotten once both acknowledged").isZero();
    }

    @Test
    void eachReplicaIsPreparedForItsTableWithTheOthersNodeIdAsPeer() {
        put();

        a.verify(postRequestedFor(urlPathMatching(PREPARE))
                .withRequestBody(matchingJsonPath("$.table", equalTo("OWN")))
                .withRequestBody(matchingJsonPath("$.peers[0]", equalTo("b"))));
        b.verify(postRequestedFor(urlPathMatching(PREPARE))
                .withRequestBody(matchingJsonPath("$.table", equalTo("PREV")))
                .withRequestBody(matchingJsonPath("$.peers[0]", equalTo("a"))));
    }

    @Test
    void noVoteAbortsBothAndCommitsNothing() {
        b.stubFor(prepareOn().willReturn(okJson("{\"txId\":\"t\",\"yes\":false,\"reason\":\"LOCKED\",\"currentVersion\":0}")));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void conflictVoteIsAFailedConditionAndCommitsNothing() {
        b.stubFor(prepareOn().willReturn(okJson("{\"txId\":\"t\",\"yes\":false,\"reason\":\"CONFLICT\",\"currentVersion\":7}")));

        assertThat(put()).isEqualTo(new WriteOutcome.ConditionFailed(7));
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void serverErrorOnPrepareAbortsBoth() {
        b.stubFor(prepareOn().willReturn(aResponse().withStatus(500)));

        assertThat(put()).isInstanceOfSatisfying(WriteOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.nodeId()).isEqualTo("b"));
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void timeoutOnPrepareAbortsBoth() {
        b.stubFor(prepareOn().willReturn(okJson(YES.formatted(0)).withFixedDelay(2_000)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void connectionResetOnPrepareAbortsBoth() {
        b.stubFor(prepareOn().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertNothingCommittedAndBothAborted();
    }

    @Test
    void unreachableNodeOnPrepareAbortsTheOther() {
        b.stop();

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        a.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
        a.verify(1, postRequestedFor(urlPathMatching(ABORT)));
    }

    @Test
    void connectionResetOnCommitIsRetriedUntilTheReplicaConfirms() {
        b.stubFor(post(urlPathMatching(COMMIT)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset once"));
        b.stubFor(post(urlPathMatching(COMMIT)).inScenario("flaky").whenScenarioStateIs("reset once")
                .willReturn(okJson("{}")));

        assertThat(put()).isInstanceOf(WriteOutcome.Committed.class);
        b.verify(2, postRequestedFor(urlPathMatching(COMMIT)));
        b.verify(0, postRequestedFor(urlPathMatching(ABORT)));
    }

    @Test
    void commitThatKeepsFailingIsUnconfirmedStaysDecidedAndIsDeliveredLater() {
        b.stubFor(post(urlPathMatching(COMMIT)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Unconfirmed.class,
                unconfirmed -> assertThat(unconfirmed.nodeId()).isEqualTo("b"));
        TxnRegistry.Pending pending = registry.pending().getFirst();
        assertThat(registry.status(pending.txId()).state()).as("a node in doubt is told COMMITTED")
                .isEqualTo(TxnState.COMMITTED);
        b.verify(0, postRequestedFor(urlPathMatching(ABORT)));

        b.stubFor(post(urlPathMatching(COMMIT)).willReturn(okJson("{}")));
        assertThat(txn.retryPending(id -> replicas.stream().filter(r -> r.nodeId().equals(id)).map(Replica::url)
                .findFirst())).isOne();
        assertThat(registry.size()).isZero();
    }

    @Test
    void timeoutOnCommitIsUnconfirmedNeverAborted() {
        b.stubFor(post(urlPathMatching(COMMIT)).willReturn(okJson("{}").withFixedDelay(2_000)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unconfirmed.class);
        a.verify(1, postRequestedFor(urlPathMatching(COMMIT)));
        b.verify(0, postRequestedFor(urlPathMatching(ABORT)));
    }

    @Test
    void deleteOfAKeyNeitherReplicaHoldsIsRefusedAndAborted() {
        WriteOutcome outcome = txn.write(replicas, Write.delete("k", new Precondition.MustExist()));

        assertThat(outcome).isEqualTo(new WriteOutcome.ConditionFailed(0));
        assertNothingCommittedAndBothAborted();
    }
}
