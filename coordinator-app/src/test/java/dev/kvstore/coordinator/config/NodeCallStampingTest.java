package dev.kvstore.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.auth.RequestVerifier;
import dev.kvstore.auth.Verification;
import dev.kvstore.coordinator.group.GroupPeer;
import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.web.security.SigningInterceptor;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

class NodeCallStampingTest {

    private final Leadership leadership = new Leadership("coordinator-1",
            Map.of("coordinator-1", new GroupPeer("coordinator-1", "127.0.0.1:1", URI.create("http://127.0.0.1:2"))),
            System::nanoTime, Duration.ofMillis(375));
    private final List<Long> heard = new ArrayList<>();
    private final List<URI> refused = new ArrayList<>();
    private final NodeCallStamping stamping = new NodeCallStamping(leadership, heard::add,
            url -> url.getHost().equals("node-two") ? Optional.of("node-2") : Optional.empty(), refused::add,
            new SigningInterceptor(null));
    private final URI node = URI.create("http://10.0.0.1:9001/internal/txn/batch");

    @Test
    void everyCallCarriesTheTermAndARefusalNamingALaterTermIsPassedOn() throws Exception {
        leadership.takingOver(3, 40);
        List<URI> sent = new ArrayList<>();
        MockClientHttpResponse refusal = new MockClientHttpResponse(new byte[0], HttpStatus.CONFLICT);
        refusal.getHeaders().set("X-Kv-Current-Term", "57");

        stamping.intercept(new MockClientHttpRequest(HttpMethod.POST, URI.create("http://node/internal/ring?x=1")), new byte[0],
                (request, body) -> {
                    sent.add(request.getURI());
                    return refusal;
                });

        assertThat(sent).containsExactly(URI.create("http://node/internal/ring?x=1&term=43"));
        assertThat(heard).containsExactly(57L);
    }

    @Test
    void otherAnswersSayNothingAboutTerms() throws Exception {
        leadership.takingOver(3, 0);
        MockClientHttpResponse conflict = new MockClientHttpResponse(new byte[0], HttpStatus.CONFLICT);
        MockClientHttpResponse ok = new MockClientHttpResponse(new byte[0], HttpStatus.OK);
        ok.getHeaders().set("X-Kv-Current-Term", "99");

        stamping.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("http://node/internal/kv")), new byte[0],
                (request, body) -> conflict);
        stamping.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("http://node/internal/kv")), new byte[0],
                (request, body) -> ok);
        stamping.answered(409, "not-a-term");
        stamping.answered(200, "98");

        assertThat(heard).isEmpty();
    }

    @Test
    void aCallNamesTheNodeRecordedAtItsAddressSoThatAnotherNodeThereRefusesIt() throws Exception {
        leadership.takingOver(3, 0);
        List<URI> sent = new ArrayList<>();

        stamping.intercept(new MockClientHttpRequest(HttpMethod.POST, URI.create("http://node-two:9001/internal/txn/batch")),
                new byte[0], (request, body) -> {
                    sent.add(request.getURI());
                    return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
                });

        assertThat(sent).containsExactly(URI.create("http://node-two:9001/internal/txn/batch?term=3&node=node-2"));
        assertThat(stamping.target(URI.create("http://node-two:9001/internal/txn/batch")))
                .as("the batches, sent without a RestClient, go to the same stamped URL")
                .isEqualTo(URI.create("http://node-two:9001/internal/txn/batch?term=3&node=node-2"));
    }

    @Test
    void aBatchEndpointIsStampedAnewWhenTheTermOrTheNodeAtItsAddressChanges() {
        Map<String, String> nodes = new HashMap<>(Map.of("node-two", "node-2"));
        NodeCallStamping stamping = new NodeCallStamping(leadership, heard::add,
                url -> Optional.ofNullable(nodes.get(url.getHost())), refused::add, new SigningInterceptor(null));
        URI endpoint = URI.create("http://node-two:9001/internal/txn/batch");
        leadership.takingOver(3, 0);
        URI first = stamping.target(endpoint);

        assertThat(stamping.target(endpoint)).isSameAs(first);
        leadership.takingOver(4, 0);
        assertThat(stamping.target(endpoint)).hasToString("http://node-two:9001/internal/txn/batch?term=4&node=node-2");
        nodes.put("node-two", "node-4");
        assertThat(stamping.target(endpoint)).hasToString("http://node-two:9001/internal/txn/batch?term=4&node=node-4");
        nodes.clear();
        assertThat(stamping.target(endpoint)).hasToString("http://node-two:9001/internal/txn/batch?term=4");
    }

    @Test
    void aCoordinatorThatNeverLedSendsEachCallAsItIs() {
        assertThat(stamping.target(node)).isSameAs(node);
    }

    @Test
    void aRefusedConnectionIsReportedUnstampedAndTheCallStillFails() {
        leadership.takingOver(3, 0);
        assertThatThrownBy(() -> stamping.intercept(new MockClientHttpRequest(HttpMethod.POST, node), new byte[0],
                (request, body) -> {
                    throw new ConnectException("Connection refused");
                })).isInstanceOf(ConnectException.class);

        assertThat(refused).containsExactly(node);
    }

    @Test
    void aTimeoutProvesNothingAndIsNotReported() {
        assertThatThrownBy(() -> stamping.intercept(new MockClientHttpRequest(HttpMethod.POST, node), new byte[0],
                (request, body) -> {
                    throw new SocketTimeoutException("Read timed out");
                })).isInstanceOf(SocketTimeoutException.class);

        assertThat(refused).isEmpty();
    }

    @Test
    void theBatchesAreSignedByTheAppsSignerAndNothingIsSignedWithoutAKey() {
        ClusterKey key = ClusterKey.fromSecret("a-cluster-secret-long-enough-for-the-check");
        NodeCallStamping signing = new NodeCallStamping(leadership, heard::add, url -> Optional.empty(), refused::add,
                new SigningInterceptor(new RequestSigner(key, Clock.systemUTC())));
        byte[] body = {1, 2, 3};

        String authorization = signing.authorization("POST", node, body);

        assertThat(new RequestVerifier(key, Clock.systemUTC(), Duration.ofMinutes(1))
                .verify("POST", node.getRawPath(), authorization, body)).isInstanceOf(Verification.Accepted.class);
        assertThat(stamping.authorization("POST", node, body)).isNull();
    }
}
