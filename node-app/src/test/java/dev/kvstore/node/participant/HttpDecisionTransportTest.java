package dev.kvstore.node.participant;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.node.cluster.CoordinatorEndpoints;
import dev.kvstore.node.cluster.HttpCoordinatorClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

/**
 * Peers found through the coordinator over real HTTP: stub coordinators and a stub peer on 127.0.0.1.
 * With several coordinators, one that gives no answer (refused connection, 5xx) is passed over.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpDecisionTransportTest {

    private static final String COMMITTED = "{\"txId\":\"t1\",\"state\":\"COMMITTED\",\"version\":12}";

    private HttpServer coordinator;
    /** A second coordinator, which knows node-9 and has t2 aborted. */
    private HttpServer backup;
    private HttpServer peer;
    /** Every request either stub received, as "METHOD path". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private HttpDecisionTransport transport;

    @BeforeEach
    void start() throws IOException {
        peer = stub(Map.of("/internal/txn/t1/inquiry", new Reply(200, "application/json", COMMITTED)));
        String peerUrl = url(peer);
        coordinator = stub(Map.of(
                "/internal/nodes/node-2", new Reply(200, "application/json",
                        "{\"id\":\"node-2\",\"url\":\"" + peerUrl + "\",\"state\":\"UP\"}"),
                "/internal/nodes/node-3", new Reply(410, "application/problem+json",
                        "{\"title\":\"Node removed\",\"status\":410}"),
                "/internal/nodes/node-9", new Reply(404, "application/problem+json",
                        "{\"title\":\"Unknown node\",\"status\":404}"),
                "/internal/txn/t1", new Reply(200, "application/json", COMMITTED),
                "/internal/txn/t2", new Reply(503, "application/problem+json",
                        "{\"title\":\"No leader\",\"status\":503}")));
        backup = stub(Map.of(
                "/internal/nodes/node-9", new Reply(200, "application/json",
                        "{\"id\":\"node-9\",\"url\":\"" + peerUrl + "\",\"state\":\"UP\"}"),
                "/internal/txn/t2", new Reply(200, "application/json",
                        "{\"txId\":\"t2\",\"state\":\"ABORTED\",\"version\":0}")));
        transport = transport(url(coordinator));
    }

    @AfterEach
    void stop() {
        coordinator.stop(0);
        backup.stop(0);
        peer.stop(0);
    }

    private HttpDecisionTransport transport(String... coordinators) {
        return new HttpDecisionTransport("node-1", new CoordinatorEndpoints(
                Arrays.stream(coordinators).map(URI::create).toList(), HttpCoordinatorClient::noAnswer),
                RestClient.create(), clock, txId -> Optional.of("app/key-" + txId));
    }

    @Test
    void theCoordinatorIsAskedForTheOutcome() {
        assertThat(transport.askCoordinator("t1")).contains(new TxnStatus("t1", TxnState.COMMITTED, 12));
        assertThat(requests).containsExactly("GET /internal/txn/t1");
    }

    @Test
    void aCoordinatorThatRefusesConnectionsIsPassedOverForTheNext() throws IOException {
        HttpDecisionTransport twoCoordinators = transport(unusedUrl(), url(coordinator));

        assertThat(twoCoordinators.askCoordinator("t1")).contains(new TxnStatus("t1", TxnState.COMMITTED, 12));
        assertThat(requests).containsExactly("GET /internal/txn/t1");
    }

    @Test
    void aCoordinatorAnswering503IsPassedOverForTheNext() {
        HttpDecisionTransport twoCoordinators = transport(url(coordinator), url(backup));

        assertThat(twoCoordinators.askCoordinator("t2")).contains(new TxnStatus("t2", TxnState.ABORTED, 0));
        assertThat(requests).containsExactly("GET /internal/txn/t2", "GET /internal/txn/t2");
    }

    @Test
    void aCoordinatorAnswering404IsAnsweredSoNoOtherIsAsked() {
        HttpDecisionTransport twoCoordinators = transport(url(coordinator), url(backup));

        assertThat(twoCoordinators.inquirePeer("node-9", "t1", true, 1)).isEmpty();
        assertThat(requests).containsExactly("GET /internal/nodes/node-9");
    }

    @Test
    void peerIdIsResolvedThroughTheCoordinatorThenAskedAtThatUrlWithThePreparedVersion() {
        Optional<TxnStatus> answer = transport.inquirePeer("node-2", "t1", true, 7);

        assertThat(answer).contains(new TxnStatus("t1", TxnState.COMMITTED, 12));
        assertThat(requests).as("the inquiry names the node it is meant for")
                .containsExactly("GET /internal/nodes/node-2", "POST /internal/txn/t1/inquiry?resolving=true&version=7&node=node-2");
    }

    @Test
    void legacyUrlPeerIsAskedDirectlyWithoutALookup() {
        Optional<TxnStatus> answer = transport.inquirePeer(url(peer), "t1", true, 7);

        assertThat(answer).contains(new TxnStatus("t1", TxnState.COMMITTED, 12));
        assertThat(requests).containsExactly("POST /internal/txn/t1/inquiry?resolving=true&version=7");
    }

    @Test
    void unknownPeerIdIsNotAnAnswer() {
        assertThat(transport.inquirePeer("node-9", "t1", true, 1)).isEmpty();
        assertThat(requests).containsExactly("GET /internal/nodes/node-9");
    }

    @Test
    void removedPeerIsNotAnAnswerAndTheOperatorIsToldHowToSettleOnceAMinute(CapturedOutput output) {
        assertThat(transport.inquirePeer("node-3", "t1", true, 1)).isEmpty();
        assertThat(requests).containsExactly("GET /internal/nodes/node-3");
        String warning = "nodeId=node-1 txId=t1 key=app/key-t1 stays held: its peer node-3 was removed";
        assertThat(output.getOut()).contains(warning)
                .contains("POST /nodes/node-1/transactions/t1 with {\"outcome\":\"ABORTED\"}");

        for (int second = 1; second < 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(transport.inquirePeer("node-3", "t1", true, 1)).isEmpty();
        }
        assertThat(occurrences(output.getOut(), warning)).isOne();

        clock.advance(Duration.ofSeconds(1));
        transport.inquirePeer("node-3", "t1", true, 1);
        assertThat(occurrences(output.getOut(), warning)).isEqualTo(2);
    }

    @Test
    void eachTransactionWithARemovedPeerIsReported(CapturedOutput output) {
        transport.inquirePeer("node-3", "t1", true, 1);
        transport.inquirePeer("node-3", "t2", true, 1);

        assertThat(output.getOut()).contains("txId=t1 key=app/key-t1 stays held")
                .contains("txId=t2 key=app/key-t2 stays held");
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private record Reply(int status, String type, String body) {
    }

    private HttpServer stub(Map<String, Reply> replies) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            Reply reply = replies.getOrDefault(path, new Reply(404, "application/problem+json", "{\"status\":404}"));
            byte[] body = reply.body().getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.type());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String unusedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
