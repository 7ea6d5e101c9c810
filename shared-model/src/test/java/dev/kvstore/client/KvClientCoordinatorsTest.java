package dev.kvstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client given two coordinators, each a scripted fake: which one a request goes to, and when it moves. */
class KvClientCoordinatorsTest {

    private FakeCoordinator first;
    private FakeCoordinator second;
    private KvClient client;

    @BeforeEach
    void start() throws IOException {
        first = new FakeCoordinator();
        second = new FakeCoordinator();
        client = new KvClient(List.of(first.uri(), second.uri()));
        first.answer(201, "", "ETag", "\"1\"");
        second.answer(201, "", "ETag", "\"2\"");
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void theFirstCoordinatorIsUsedWhileItAnswers() {
        assertThat(client.put("a", "v").version()).isEqualTo(1);
        assertThat(client.put("b", "v").version()).isEqualTo(1);

        assertThat(second.requests()).isEmpty();
        assertThat(client.baseUri()).isEqualTo(first.uri());
        assertThat(client.baseUris()).containsExactly(first.uri(), second.uri());
    }

    @Test
    void aStoppedCoordinatorIsPassedOverAndTheOneThatAnsweredIsKept() {
        first.close();

        assertThat(client.put("a", "v").version()).isEqualTo(2);
        assertThat(client.baseUri()).isEqualTo(second.uri());
        assertThat(client.put("b", "v").version()).isEqualTo(2);

        assertThat(second.requests()).extracting(FakeCoordinator.Request::rawPath).containsExactly("/kv/a", "/kv/b");
        assertThat(client.withApiKey("k3y-0123456789abcdef").baseUri()).as("a derived client starts there too")
                .isEqualTo(second.uri());
    }

    @Test
    void aHostThatDoesNotResolveIsPassedOver() {
        KvClient withUnknownHost = new KvClient(List.of(URI.create("http://no-such-coordinator.invalid:8080"),
                second.uri()));

        assertThat(withUnknownHost.put("a", "v").version()).isEqualTo(2);
    }

    @Test
    void whenEveryConnectionIsRefusedTheRequestWasNotSent() {
        first.close();
        second.close();

        TransportException e = catchThrowableOfType(TransportException.class, () -> client.put("a", "v"));

        assertThat(e.mayHaveReachedServer()).isFalse();
        assertThat(e).hasCauseInstanceOf(ConnectException.class).hasMessageContaining("nor did it to any other");
    }

    @ParameterizedTest
    @ValueSource(ints = {503, 504, 412, 404, 500})
    void anAnswerOfAnyStatusIsTheAnswerAndNoOtherCoordinatorIsAsked(int status) {
        first.problem(status, "Refused", "refused here", "Retry-After", "1");

        assertThatThrownBy(() -> client.put("a", "v")).isInstanceOf(KvClientException.class);

        assertThat(second.requests()).isEmpty();
        assertThat(client.baseUri()).isEqualTo(first.uri());
    }

    @Test
    void aTimeoutIsNotRetriedElsewhereAsTheRequestMayHaveTakenEffect() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KvClient impatient = new KvClient(List.of(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    second.uri()), HttpClient.newHttpClient(), Duration.ofMillis(200), null);

            TransportException e = catchThrowableOfType(TransportException.class, () -> impatient.put("a", "v"));

            assertThat(e.mayHaveReachedServer()).isTrue();
            assertThat(second.requests()).isEmpty();
        }
    }

    @Test
    void noCoordinatorOrOneThatIsNotHttpIsRefused() {
        assertThatThrownBy(() -> new KvClient(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one coordinator");
        assertThatThrownBy(() -> new KvClient(List.of(first.uri(), URI.create("ftp://kv:21"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://kv:21");
    }
}
