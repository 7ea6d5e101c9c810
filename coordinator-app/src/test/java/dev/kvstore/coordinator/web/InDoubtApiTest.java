package dev.kvstore.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MembershipController;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeValue;
import dev.kvstore.coordinator.txn.InDoubtController;
import dev.kvstore.coordinator.txn.InDoubtSettlement;
import dev.kvstore.coordinator.txn.Replica;
import dev.kvstore.coordinator.txn.TxnRegistry;
import dev.kvstore.coordinator.txn.VersionClock;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Finding a node by id (for a node in doubt) and the operator's settlement of a transaction in doubt, over
 * MVC with real membership and registry and a fake node that records what it is told.
 */
@WebMvcTest({MembershipController.class, InDoubtController.class, ProblemHandler.class})
@Import(InDoubtApiTest.Wiring.class)
class InDoubtApiTest {

    /** The test clock's reading in microseconds: the least version the coordinator issues. */
    static final long NOW_MICROS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;

    /** What the fake node holds in doubt, and every commit, abort and key change it saw. */
    static final class FakeNode implements NodeClient {
        final List<InDoubtTransaction> inDoubt = new CopyOnWriteArrayList<>();
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public Vote prepare(String url, String txId, PrepareRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit(String url, String txId, long version) {
            told.add(url + " commit " + txId + " " + version);
        }

        @Override
        public void abort(String url, String txId) {
            told.add(url + " abort " + txId);
        }

        @Override
        public Optional<NodeValue> read(String url, Table table, String key) {
            throw new UnsupportedOperationException();
        }
    }

    @TestConfiguration
    @EnableConfigurationProperties(KvApiProperties.class)
    static class Wiring {
        final MutableClock clock = new MutableClock();

        @Bean
        Membership membership() {
            return new Membership(clock, Duration.ofSeconds(3));
        }

        @Bean
        TxnRegistry registry() {
            return new TxnRegistry(clock);
        }

        @Bean
        FakeNode fakeNode() {
            return new FakeNode();
        }

        @Bean
        InDoubtSettlement settlement(Membership membership, TxnRegistry registry, FakeNode node) {
            return new InDoubtSettlement(membership, registry, new VersionClock(clock), node,
                    url -> url.equals("http://10.0.0.5:9001") ? List.copyOf(node.inDoubt) : List.of(),
                    (key, change) -> {
                        node.told.add("lock " + key);
                        change.run();
                        node.told.add("uncache " + key);
                    });
        }
    }

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Membership membership;
    @Autowired
    TxnRegistry registry;
    @Autowired
    FakeNode node;
    @MockitoBean
    NodeDirectory directory;

    @BeforeEach
    void cluster() {
        membership.register("node-1", "http://10.0.0.5:9001", "token-1", null);
        membership.register("node-2", "http://10.0.0.6:9002");
        membership.remove("node-2");
        node.inDoubt.clear();
        node.told.clear();
        node.inDoubt.add(new InDoubtTransaction("t1", "greeting", Table.OWN, WriteOp.PUT, Instant.EPOCH,
                List.of("node-2"), NOW_MICROS + 500));
    }

    private MvcTestResult settle(String nodeId, String txId, String body) {
        return mvc.post().uri("/nodes/{id}/transactions/{txId}", nodeId, txId)
                .contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void registeredNodeIsFoundByIdWithItsCurrentUrlAndState() {
        membership.register("node-1", "http://10.0.0.5:9555", "token-1", null); // restarted on a new port

        assertThat(mvc.get().uri("/internal/nodes/node-1").exchange()).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"id\":\"node-1\",\"url\":\"http://10.0.0.5:9555\",\"state\":\"UP\"}");
    }

    @Test
    void unknownNodeIs404AndRemovedNodeIs410SoANodeInDoubtCanTellThemApart() {
        assertThat(mvc.get().uri("/internal/nodes/node-9").exchange()).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(mvc.get().uri("/internal/nodes/node-2").exchange()).hasStatus(HttpStatus.GONE)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyText().contains("removed from the cluster");
    }

    @Test
    void operatorListsANodesTransactionsInDoubt() {
        assertThat(mvc.get().uri("/nodes/node-1/transactions").exchange()).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("[{\"txId\":\"t1\",\"key\":\"greeting\",\"table\":\"OWN\",\"op\":\"PUT\","
                        + "\"peers\":[\"node-2\"],\"currentVersion\":" + (NOW_MICROS + 500) + "}]");
    }

    @Test
    void abortSettlementIsForwardedToTheNodeUnderTheKeysLock() {
        assertThat(settle("node-1", "t1", "{\"outcome\":\"ABORTED\"}")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"txId\":\"t1\",\"state\":\"ABORTED\"}");

        assertThat(node.told).containsExactly("lock greeting", "http://10.0.0.5:9001 abort t1", "uncache greeting");
    }

    @Test
    void commitSettlementGetsAVersionAboveWhatTheNodeHoldsForTheKey() {
        assertThat(settle("node-1", "t1", "{\"outcome\":\"COMMITTED\"}")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"txId\":\"t1\",\"state\":\"COMMITTED\",\"version\":" + (NOW_MICROS + 501) + "}");

        assertThat(node.told).containsExactly("lock greeting", "http://10.0.0.5:9001 commit t1 " + (NOW_MICROS + 501),
                "uncache greeting");
    }

    @Test
    void settlementAgainstTheCoordinatorsOwnDecisionIs409AndTellsTheNodeNothing() {
        registry.decide("t1", TxnState.COMMITTED, 77, List.of(new Replica("node-1", "http://10.0.0.5:9001", Table.OWN)));

        assertThat(settle("node-1", "t1", "{\"outcome\":\"ABORTED\"}")).hasStatus(HttpStatus.CONFLICT)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(node.told).isEmpty();

        assertThat(settle("node-1", "t1", "{\"outcome\":\"COMMITTED\"}")).hasStatusOk();
        assertThat(node.told).contains("http://10.0.0.5:9001 commit t1 77");
    }

    @Test
    void settlementOfWhatIsNotInDoubtOrOfNoDecisionIsRefusedAndTellsTheNodeNothing() {
        assertThat(settle("node-1", "t9", "{\"outcome\":\"ABORTED\"}")).hasStatus(HttpStatus.NOT_FOUND)
                .bodyText().contains("holds no transaction t9 in doubt");
        assertThat(settle("node-1", "t1", "{\"outcome\":\"PREPARED\"}")).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(settle("node-1", "t1", "{}")).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(settle("node-9", "t1", "{\"outcome\":\"ABORTED\"}")).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(settle("node-2", "t1", "{\"outcome\":\"ABORTED\"}")).hasStatus(HttpStatus.GONE);
        assertThat(node.told).isEmpty();
    }
}
