package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** Registration and heartbeats against several stub coordinators over real HTTP: which are asked, in which order. */
class HttpCoordinatorClientTest {

    private static final NodeRegistration ME = new NodeRegistration("node-1", "http://127.0.0.1:4000");

    private final List<HttpServer> servers = new ArrayList<>();
    /** Every request a stub received, as "port METHOD path". */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void aCoordinatorThatRefusesConnectionsIsPassedOver() throws IOException {
        URI down = unusedUrl();
        URI up = coordinator(200);
        CoordinatorEndpoints endpoints = new CoordinatorEndpoints(List.of(down, up), HttpCoordinatorClient::noAnswer);

        assertThat(new HttpCoordinatorClient(endpoints, RestClient.create()).register(ME))
                .isEqualTo(CoordinatorClient.Result.OK);

        assertThat(endpoints.current()).isEqualTo(up);
        assertThat(requests).containsExactly(up.getPort() + " POST /nodes");
    }

    @Test
    void aCoordinatorAnswering503IsPassedOverForTheNext() throws IOException {
        URI noLeader = coordinator(503);
        URI up = coordinator(200);

        assertThat(client(noLeader, up).heartbeat("node-1", NodeHeartbeat.WRITABLE)).isEqualTo(CoordinatorClient.Result.OK);
        assertThat(requests).containsExactly(noLeader.getPort() + " PUT /nodes/node-1/heartbeat",
                up.getPort() + " PUT /nodes/node-1/heartbeat");
    }

    @Test
    void a4xxIsTheCoordinatorsAnswerSoNoOtherIsAsked() throws IOException {
        URI forgot = coordinator(404);

        assertThat(client(forgot, coordinator(200)).heartbeat("node-1", NodeHeartbeat.WRITABLE)).isEqualTo(CoordinatorClient.Result.UNKNOWN_NODE);
        assertThat(requests).containsExactly(forgot.getPort() + " PUT /nodes/node-1/heartbeat");
    }

    @Test
    void noCoordinatorAnsweringIsAFailure() throws IOException {
        URI down = unusedUrl();
        URI failing = coordinator(500);

        assertThat(client(down, failing).register(ME)).isEqualTo(CoordinatorClient.Result.FAILED);
        assertThat(requests).containsExactly(failing.getPort() + " POST /nodes");
    }

    private static HttpCoordinatorClient client(URI... coordinators) {
        return new HttpCoordinatorClient(new CoordinatorEndpoints(List.of(coordinators), HttpCoordinatorClient::noAnswer),
                RestClient.create());
    }

    /** A stub coordinator answering every request with {@code status} and no body. */
    private URI coordinator(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.add(port + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + port);
    }

    private static URI unusedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
