package dev.kvstore.coordinator.nodeclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kvstore.coordinator.config.NodeHttpClients;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.codec.NodeProtocolModule;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The batches go straight to the pooled client, so what the RestClient and its interceptors did for them is
 * checked here, against a fake node over real HTTP: the stamped URL and the signature of each attempt, the
 * node's error read from its problem (JSON or CBOR) or else its status, a later term heard from a refusal,
 * a refused connection reported and the batch failing as the node being unavailable.
 */
class HttpNodeTransportTest {

    private static final CBORMapper CBOR = CBORMapper.builder().addModule(new NodeProtocolModule()).build();
    private static final JsonMapper JSON = new JsonMapper();
    private static final List<TxnMessage> ONE_COMMIT = List.of(TxnMessage.commit("t", 7));

    private final WireMockServer node = new WireMockServer(options().dynamicPort());
    private final List<String> heard = new ArrayList<>();
    private final List<URI> refused = new ArrayList<>();
    private final NodeCallHooks hooks = new NodeCallHooks() {
        @Override
        public URI target(URI endpoint) {
            return URI.create(endpoint + "?term=3");
        }

        @Override
        public String authorization(String method, URI target, byte[] body) {
            return method + " " + target.getRawQuery() + " " + body.length;
        }

        @Override
        public void answered(int status, String currentTerm) {
            heard.add(status + " " + currentTerm);
        }

        @Override
        public void refused(URI endpoint) {
            refused.add(endpoint);
        }
    };
    private HttpNodeTransport transport;

    @BeforeEach
    void start() {
        node.start();
        transport = new HttpNodeTransport(NodeHttpClients.client(Duration.ofMillis(500), Duration.ofMillis(500), null),
                hooks, CBOR, JSON);
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    @Test
    void aBatchGoesAsCborToTheStampedUrlSignedAndItsRepliesComeBack() {
        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/cbor")
                .withBody(CBOR.writeValueAsBytes(JSON.readTree("""
                        {"replies": [{"outcome": {"txId": "t", "state": "COMMITTED", "version": 7}}]}""")))));

        List<TxnReply> replies = transport.sendTxns(node.baseUrl(), ONE_COMMIT);

        assertThat(replies).singleElement().satisfies(reply -> assertThat(reply.outcome().version()).isEqualTo(7));
        byte[] sent = CBOR.writeValueAsBytes(new dev.kvstore.model.TxnBatch(ONE_COMMIT));
        node.verify(postRequestedFor(urlEqualTo("/internal/txn/batch?term=3"))
                .withHeader("Content-Type", equalTo("application/cbor"))
                .withHeader("Accept", equalTo("application/cbor"))
                .withHeader("Authorization", equalTo("POST term=3 " + sent.length)));
        assertThat(heard).containsExactly("200 null");
    }

    @Test
    void aRefusalNamingALaterTermIsHeardAndRejectsTheBatch() {
        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withHeader("X-Kv-Current-Term", "57")
                .withBody("""
                        {"type": "urn:kvstore:problem:stale-term", "status": 409, "detail": "term 3 < 57"}""")));

        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .isInstanceOf(NodeRejectedException.class).hasMessageContaining("STALE_TERM").hasMessageContaining("term 3 < 57");
        assertThat(heard).containsExactly("409 57");
    }

    @Test
    void aProblemInCborIsReadByItsTypeToo() {
        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/cbor")
                .withBody(CBOR.writeValueAsBytes(Map.of("type", "urn:kvstore:problem:transaction-decided")))));

        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .isInstanceOf(NodeRejectedException.class).hasMessageContaining("TRANSACTION_DECIDED");
    }

    @Test
    void aRefusalWithoutAProblemIsReadByItsStatus() {
        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(421)));
        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .as("421: another node listens there").isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("WRONG_NODE");

        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/html").withBody("<html>bad</html>")));
        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .isInstanceOf(NodeRejectedException.class).hasMessageContaining("INVALID_REQUEST");

        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .isInstanceOf(NodeUnavailableException.class).hasMessageContaining("INTERNAL");
    }

    @Test
    void aReplyThatIsNotABatchReplyIsTheNodeFailing() {
        node.stubFor(post(urlEqualTo("/internal/txn/batch?term=3")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/cbor").withBody(new byte[] {(byte) 0xff, 1, 2})));

        assertThatThrownBy(() -> transport.sendTxns(node.baseUrl(), ONE_COMMIT))
                .isInstanceOf(NodeUnavailableException.class).hasMessageContaining("not the reply it was asked for");
    }

    @Test
    void aRefusedConnectionIsReportedForEachAttemptAndTheNodeIsUnavailable() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }

        assertThatThrownBy(() -> transport.sendTxns(closed, ONE_COMMIT)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("unreachable");
        assertThat(refused).as("sent twice, refused twice, each reported with the endpoint as addressed")
                .containsExactly(URI.create(closed + "/internal/txn/batch"), URI.create(closed + "/internal/txn/batch"));
    }

    @Test
    void theTransactionsInDoubtAreAskedForAsJsonSignedWithAnEmptyBody() {
        node.stubFor(get(urlEqualTo("/internal/txn?term=3")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        [{"txId": "t1", "key": "k", "table": "OWN", "op": "PUT", "since": "2026-12-04T10:00:00Z",
                          "peers": ["node-2"], "currentVersion": 4}]""")));

        List<InDoubtTransaction> inDoubt = transport.inDoubt(node.baseUrl());

        assertThat(inDoubt).singleElement().satisfies(txn -> {
            assertThat(txn.txId()).isEqualTo("t1");
            assertThat(txn.peers()).containsExactly("node-2");
        });
        node.verify(getRequestedFor(urlEqualTo("/internal/txn?term=3")).withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", equalTo("GET term=3 0")));
    }
}
