package dev.kvstore.coordinator.txn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.kvstore.model.Table;
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
 * Two-phase commit as production sends it, through per-node batches over real HTTP, against two fake
 * nodes (WireMock): a write commits on both only after two yes votes; a batch the node fails or
 * cuts off is unavailability for its message, which aborts the write; a batch whose connection was
 * reset before the node saw it is sent once more.
 */
class BatchedTwoPhaseCommitHttpTest {

    private static final String BATCH = "/internal/txn/batch";
    private static final String YES = """
            {"replies": [{"status": 200, "vote": {"txId": "t", "yes": true, "reason": null, "currentVersion": 0}}]}""";
    private static final String DECIDED = """
            {"replies": [{"status": 200, "outcome": {"txId": "t", "state": "COMMITTED", "version": 1}}]}""";

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
        txn = new TwoPhaseCommit(new BatchingParticipantClient(NodeHttpFixture.client(), executor, 2, 256, 1 << 21), registry,
                new VersionClock(Clock.systemUTC()), executor, Duration.ofMillis(300));
        replicas = List.of(new Replica("a", a.baseUrl(), Table.OWN), new Replica("b", b.baseUrl(), Table.PREV));
        for (WireMockServer node : List.of(a, b)) {
            node.stubFor(batchOf("PREPARE").willReturn(okJson(YES)));
            node.stubFor(batchOf("COMMIT").willReturn(okJson(DECIDED)));
            node.stubFor(batchOf("ABORT").willReturn(okJson(DECIDED.replace("COMMITTED", "ABORTED"))));
        }
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
        executor.close();
    }

    private static MappingBuilder batchOf(String kind) {
        return post(urlEqualTo(BATCH)).withRequestBody(matchingJsonPath("$.messages[0].kind", equalTo(kind)));
    }

    private static int sent(WireMockServer node, String kind) {
        return node.countRequestsMatching(postRequestedFor(urlEqualTo(BATCH))
                .withRequestBody(matchingJsonPath("$.messages[0].kind", equalTo(kind))).build()).getCount();
    }

    private WriteOutcome put() {
        return txn.write(replicas, Write.put("k", new byte[] {1, 2}, "text/plain", Precondition.NONE));
    }

    @Test
    void twoYesVotesCommitOnBothThroughBatches() {
        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOf(WriteOutcome.Committed.class);
        for (WireMockServer node : List.of(a, b)) {
            assertThat(sent(node, "PREPARE")).isEqualTo(1);
            assertThat(sent(node, "COMMIT")).isEqualTo(1);
            node.verify(postRequestedFor(urlEqualTo(BATCH)).withRequestBody(
                    matchingJsonPath("$.messages[0].prepare.peers[0]", equalTo(node == a ? "b" : "a"))));
        }
        assertThat(registry.size()).isZero();
    }

    @Test
    void aFailedMessageInTheReplyAbortsTheWriteOnBoth() {
        b.stubFor(batchOf("PREPARE").willReturn(okJson("""
                {"replies": [{"status": 503, "detail": "this node cannot make writes durable now"}]}""")));

        WriteOutcome outcome = put();

        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("cannot make writes durable"));
        for (WireMockServer node : List.of(a, b)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent(node, "ABORT") == 1);
            assertThat(sent(node, "COMMIT")).isZero();
        }
    }

    @Test
    void aBatchTheNodeAnswersWithAServerErrorAbortsTheWrite() {
        b.stubFor(batchOf("PREPARE").willReturn(aResponse().withStatus(500)));

        assertThat(put()).isInstanceOf(WriteOutcome.Unavailable.class);
        assertThat(sent(a, "COMMIT")).isZero();
    }

    @Test
    void aBatchWhoseConnectionWasResetIsSentOnceMore() {
        b.stubFor(batchOf("PREPARE").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset once"));
        b.stubFor(batchOf("PREPARE").inScenario("flaky").whenScenarioStateIs("reset once").willReturn(okJson(YES)));

        assertThat(put()).isInstanceOf(WriteOutcome.Committed.class);
        assertThat(sent(b, "PREPARE")).isEqualTo(2);
    }
}
