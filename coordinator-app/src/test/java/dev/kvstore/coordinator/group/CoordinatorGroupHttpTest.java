package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.kvstore.coordinator.CoordinatorApplication;
import dev.kvstore.coordinator.web.LeaderRouting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three coordinator applications in one JVM, each with its own port and Raft log, forming one group:
 * any of them answers any request (a follower forwards it to the leader unchanged), what the leader
 * commits survives its death, and a new leader takes over within seconds.
 */
class CoordinatorGroupHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.ratis")).setLevel(Level.WARN);
    }

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final int[] ports = new int[3];
    private final List<String> peers = new ArrayList<>();
    private final ConfigurableApplicationContext[] apps = new ConfigurableApplicationContext[3];

    @BeforeEach
    void startGroup() throws IOException {
        for (int i = 0; i < 3; i++) {
            ports[i] = TestPorts.free();
            peers.add("coordinator-" + (i + 1) + "=127.0.0.1:" + TestPorts.free() + "=http://127.0.0.1:" + ports[i]);
        }
        for (int i = 0; i < 3; i++) {
            start(i);
        }
    }

    @AfterEach
    void stopGroup() {
        for (ConfigurableApplicationContext app : apps) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void everyCoordinatorAnswersWithTheLeadersAnswer() throws Exception {
        int leader = awaitLeader(Optional.empty());
        int follower = (leader + 1) % 3;

        HttpResponse<String> registered = send(follower, "POST", "/nodes",
                "{\"id\": \"node-1\", \"url\": \"http://127.0.0.1:1\"}");
        HttpResponse<String> listed = send((leader + 2) % 3, "GET", "/nodes/node-1/transactions", null);

        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.headers().firstValue("Location")).hasValue("/nodes/node-1");
        assertThat(listed.statusCode()).as(listed.body()).isIn(200, 503);
        HttpResponse<String> onLeader = send(leader, "GET", "/nodes", null);
        HttpResponse<String> onFollower = send(follower, "GET", "/nodes", null);
        assertThat(onFollower.statusCode()).isEqualTo(onLeader.statusCode());
        assertThat(onFollower.body()).contains("node-1");
    }

    @Test
    void aRequestForwardedToACoordinatorThatNoLongerLeadsIsRefusedNotForwardedAgain() throws Exception {
        int leader = awaitLeader(Optional.empty());
        int follower = (leader + 1) % 3;

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url(follower, "/nodes"))
                .header(LeaderRouting.FORWARDED_BY, "coordinator-9").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(answer.body()).contains("no longer leads");
    }

    @Test
    void whatTheLeaderCommittedOutlivesItAndTheNextLeaderServesIt() throws Exception {
        int leader = awaitLeader(Optional.empty());
        HttpResponse<String> registered = send((leader + 1) % 3, "POST", "/nodes",
                "{\"id\": \"node-1\", \"url\": \"http://127.0.0.1:1\"}");
        assertThat(registered.statusCode()).as("registration through a follower: %s", registered.body()).isEqualTo(201);
        // Every member holds it before the leader goes: Ratis does not count the vote of a member whose log is
        // still empty (it cannot tell one that just joined from one whose disk was wiped, RATIS-1995), so two
        // survivors of which one had received nothing yet could elect no one.
        Awaitility.await("every coordinator holds the registration").atMost(WAIT).until(() -> java.util.Arrays.stream(apps)
                .allMatch(app -> app.getBean(GroupServer.class).state().members().stream()
                        .anyMatch(m -> m.id().equals("node-1"))));

        apps[leader].close();
        apps[leader] = null;
        int next = awaitLeader(Optional.of(leader));

        HttpResponse<String> known = send(next, "PUT", "/nodes/node-1/heartbeat", null);
        assertThat(known.statusCode()).as("the new leader knows the node without it registering again: %s", known.body())
                .isEqualTo(204);

        start(leader);
        int follower = leader;
        Awaitility.await("the old leader, restarted, forwards to the new one").atMost(WAIT).until(() ->
                send(follower, "PUT", "/nodes/node-1/heartbeat", null).statusCode() == 204);
    }

    private void start(int i) {
        apps[i] = new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=" + ports[i],
                "--kv.coordinator.group.id=coordinator-" + (i + 1),
                "--kv.coordinator.group.peers=" + String.join(",", peers),
                "--kv.coordinator.group.dir=" + dir.resolve("coordinator-" + (i + 1)),
                "--kv.cluster.insecure-dev=true",
                "--spring.jmx.enabled=false");
    }

    /** The coordinator that leads and serves, other than {@code not}, once every running one knows it. */
    private int awaitLeader(Optional<Integer> not) {
        int[] found = {-1};
        Awaitility.await("a coordinator leads and serves").atMost(WAIT).until(() -> {
            for (int i = 0; i < 3; i++) {
                if (apps[i] != null && !Optional.of(i).equals(not)
                        && apps[i].getBean(GroupServer.class).leadership().serves()) {
                    found[0] = i;
                }
            }
            // ...and every running member has heard from it, so none answers 503 for want of a leader.
            String leader = found[0] < 0 ? null : "coordinator-" + (found[0] + 1);
            for (ConfigurableApplicationContext app : apps) {
                if (leader != null && app != null && !leader.equals(app.getBean(GroupServer.class).leaderId())) {
                    return false;
                }
            }
            return leader != null;
        });
        return found[0];
    }

    private HttpResponse<String> send(int i, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(i, path)).timeout(Duration.ofSeconds(10));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(int i, String path) {
        return URI.create("http://127.0.0.1:" + ports[i] + path);
    }
}
