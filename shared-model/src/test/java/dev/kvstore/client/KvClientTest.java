package dev.kvstore.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a scripted fake coordinator: what it sends, and how it reads every kind of answer. */
class KvClientTest {

    private FakeCoordinator server;
    private KvClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeCoordinator();
        client = new KvClient(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- API key ----------------------------------------------------------------------------

    @Test
    void withAnApiKeyEveryRequestCarriesItAsABearerToken() {
        KvClient keyed = client.withApiKey("k3y-0123456789abcdef");
        server.answer(201, "", "ETag", "\"1\"");

        keyed.put("a", "hello");
        server.answer(200, "", "ETag", "\"1\"");
        keyed.exists("a");

        assertThat(server.requests()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer k3y-0123456789abcdef", "Bearer k3y-0123456789abcdef");
    }

    @Test
    void withoutAnApiKeyNoAuthorizationIsSent() {
        server.answer(201, "", "ETag", "\"1\"");

        client.put("a", "hello");

        assertThat(server.requests()).extracting(r -> r.header("Authorization")).containsOnlyNulls();
    }

    @Test
    void anApiKeyThatCannotBeAHeaderIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> client.withApiKey("secret\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> client.withApiKey(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedKeyIsABadRequestExceptionWithTheProblem() {
        server.problem(403, "Forbidden", "the API key 'reader' has read scope; PUT /kv/a needs read-write scope");

        assertThatThrownBy(() -> client.withApiKey("k3y-0123456789abcdef").put("a", "hello"))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("needs read-write scope");
    }

    // ---- PUT ------------------------------------------------------------------------------

    @Test
    void putOfANewKeyIsCreatedAtTheVersionInTheETag() {
        server.answer(201, "", "ETag", "\"1795329788422000\"", "Location", "/kv/a");

        WriteResult result = client.put("a", "hello");

        assertThat(result).isEqualTo(new WriteResult(1795329788422000L, true));
    }

    @Test
    void putOverAnExistingValueIsAReplacement() {
        server.answer(200, "", "ETag", "\"18\"");

        assertThat(client.put("a", "hello")).isEqualTo(new WriteResult(18, false));
    }

    @Test
    void putSendsTheBytesAndTheContentTypeAsGiven() {
        server.answer(201, "", "ETag", "\"1\"");
        byte[] value = {0, (byte) 0xff, 42};

        client.put("bin", value, "application/x-thing", Condition.none());

        FakeCoordinator.Request request = server.lastRequest();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.body()).containsExactly(value);
        assertThat(request.header("Content-Type")).isEqualTo("application/x-thing");
    }

    @Test
    void putOfAStringSendsUtf8Text() {
        server.answer(201, "", "ETag", "\"1\"");

        client.put("greeting", "grüß dich");

        assertThat(server.lastRequest().body()).containsExactly("grüß dich".getBytes(UTF_8));
        assertThat(server.lastRequest().header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
    }

    @Test
    void putWithoutAContentTypeSendsNoneSoTheCoordinatorStoresOctetStream() {
        server.answer(201, "", "ETag", "\"1\"");

        client.put("raw", new byte[] {1}, null, Condition.none());

        assertThat(server.lastRequest().header("Content-Type")).isNull();
    }

    @Test
    void unconditionalWritesSendNoConditionHeaders() {
        server.answer(201, "", "ETag", "\"1\"");

        client.put("a", "v");

        assertThat(server.lastRequest().header("If-Match")).isNull();
        assertThat(server.lastRequest().header("If-None-Match")).isNull();
    }

    @Test
    void ifAbsentIsSentAsIfNoneMatchStar() {
        server.answer(201, "", "ETag", "\"1\"");

        client.put("a", "v", Condition.ifAbsent());

        assertThat(server.lastRequest().header("If-None-Match")).isEqualTo("*");
        assertThat(server.lastRequest().header("If-Match")).isNull();
    }

    @Test
    void ifVersionIsSentAsIfMatchWithTheQuotedVersion() {
        server.answer(200, "", "ETag", "\"18\"");

        client.put("a", "v", Condition.ifVersion(17));

        assertThat(server.lastRequest().header("If-Match")).isEqualTo("\"17\"");
        assertThat(server.lastRequest().header("If-None-Match")).isNull();
    }

    @Test
    void ifExistsIsSentAsIfMatchStar() {
        server.answer(200, "", "ETag", "\"18\"");

        client.put("a", "v", Condition.ifExists());

        assertThat(server.lastRequest().header("If-Match")).isEqualTo("*");
    }

    @Test
    void versionsAreNeverZeroOrNegative() {
        assertThatThrownBy(() -> Condition.ifVersion(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Condition.ifVersion(-3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weakETagsAreReadToo() {
        server.answer(200, "", "ETag", "W/\"42\"");

        assertThat(client.put("a", "v").version()).isEqualTo(42);
    }

    @Test
    void aSuccessWithoutAVersionIsAnUnreadableAnswerNotAnError() {
        server.answer(200, "");

        Throwable thrown = catchThrowableOfType(KvClientException.class, () -> client.put("a", "v"));

        assertThat(thrown).isExactlyInstanceOf(KvClientException.class).hasMessageContaining("ETag");
    }

    // ---- GET / HEAD -------------------------------------------------------------------------

    @Test
    void getReturnsTheValueItsContentTypeAndItsVersion() {
        server.answer(200, "hello", "ETag", "\"7\"", "Content-Type", "text/plain;charset=utf-8");

        Optional<Entry> entry = client.get("a/b");

        assertThat(entry).contains(new Entry("a/b", "hello".getBytes(UTF_8), "text/plain;charset=utf-8", 7));
        assertThat(entry.orElseThrow().asString()).isEqualTo("hello");
        assertThat(server.lastRequest().method()).isEqualTo("GET");
    }

    @Test
    void getOfAnAbsentKeyIsEmpty() {
        server.problem(404, "Key not found", "no value is stored under key 'a'");

        assertThat(client.get("a")).isEmpty();
    }

    @Test
    void existsAsksWithHeadAndReadsTheStatus() {
        server.answer(200, "", "ETag", "\"7\"");
        assertThat(client.exists("a")).isTrue();
        assertThat(server.lastRequest().method()).isEqualTo("HEAD");

        server.answer(404, "");
        assertThat(client.exists("a")).isFalse();
    }

    @Test
    void entriesAreImmutable() {
        byte[] bytes = "abc".getBytes(UTF_8);
        Entry entry = new Entry("k", bytes, "text/plain", 1);

        bytes[0] = 'X';
        entry.value()[1] = 'Y';

        assertThat(entry.asString()).isEqualTo("abc");
    }

    // ---- DELETE -----------------------------------------------------------------------------

    @Test
    void deleteIsTrueWithTheDeletionsVersionWhenDeletedAndFalseWhenAbsent() {
        server.answer(204, "", "ETag", "\"99\"");
        assertThat(client.deleteWithVersion("a", Condition.none())).isEqualTo(OptionalLong.of(99));
        assertThat(client.delete("a")).isTrue();
        assertThat(server.lastRequest().method()).isEqualTo("DELETE");

        server.problem(404, "Key not found", "no value is stored under key 'a'");
        assertThat(client.deleteWithVersion("a", Condition.none())).isEmpty();
        assertThat(client.delete("a")).isFalse();
    }

    @Test
    void conditionalDeleteSendsIfMatch() {
        server.answer(204, "", "ETag", "\"99\"");

        client.delete("a", Condition.ifVersion(98));

        assertThat(server.lastRequest().header("If-Match")).isEqualTo("\"98\"");
    }

    @Test
    void deleteIfAbsentIsRefusedBeforeSendingBecauseTheCoordinatorWouldIgnoreIt() {
        assertThatThrownBy(() -> client.delete("a", Condition.ifAbsent())).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }

    // ---- keys -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "app/db/url        | /kv/app/db/url",
            "with space        | /kv/with%20space",
            "grün/ü            | /kv/gr%C3%BCn/%C3%BC",
            "100%              | /kv/100%25",
            "what?x=1          | /kv/what%3Fx%3D1",
            "frag#ment         | /kv/frag%23ment",
            "matrix;p=1        | /kv/matrix%3Bp%3D1",
            "a+b&c             | /kv/a%2Bb%26c",
            "'\"quoted\"'      | /kv/%22quoted%22",
            "a//b/             | /kv/a//b/",
            "a/../b            | /kv/a/../b",
            "-._~              | /kv/-._~",
    })
    void keysKeepTheirSlashesAndEverythingElseOutsideUnreservedIsPercentEncoded(String key, String rawPath) {
        server.answer(200, "v", "ETag", "\"1\"", "Content-Type", "text/plain");

        client.get(key.strip());

        assertThat(server.lastRequest().rawPath()).isEqualTo(rawPath.strip());
    }

    @Test
    void aBaseUriWithAPathPrefixAndTrailingSlashIsKept() {
        server.answer(200, "v", "ETag", "\"1\"", "Content-Type", "text/plain");
        KvClient behindAProxy = new KvClient(URI.create(server.uri() + "/store/"));

        behindAProxy.get("a");

        assertThat(server.lastRequest().rawPath()).isEqualTo("/store/kv/a");
    }

    @Test
    void invalidKeysAreRefusedBeforeSending() {
        assertThatThrownBy(() -> client.get("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> client.put("k".repeat(1025), "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1025 bytes");
        assertThat(server.requests()).isEmpty();
    }

    // ---- errors -----------------------------------------------------------------------------

    @Test
    void preconditionFailedCarriesTheProblemDetails() {
        server.problem(412, "Precondition failed", "key 'x' is at version 7");

        PreconditionFailedException e = catchThrowableOfType(PreconditionFailedException.class,
                () -> client.put("x", "v", Condition.ifVersion(6)));

        assertThat(e.status()).isEqualTo(412);
        assertThat(e.problem()).isEqualTo(new Problem("about:blank", "Precondition failed", 412,
                "key 'x' is at version 7", "/kv/x", Map.of()));
        assertThat(e).hasMessageContaining("PUT ").hasMessageContaining("412 Precondition failed: key 'x' is at version 7");
    }

    @Test
    void valueTooLargeIs413() {
        server.problem(413, "Value too large", "values are limited to 1048576 bytes");

        ValueTooLargeException e = catchThrowableOfType(ValueTooLargeException.class,
                () -> client.put("x", new byte[10], "application/octet-stream", Condition.none()));

        assertThat(e.problem().detail()).isEqualTo("values are limited to 1048576 bytes");
    }

    @Test
    void unavailableCarriesRetryAfter() {
        server.problem(503, "Replicas unavailable", "node node-2 is down", "Retry-After", "3");

        UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> client.put("x", "v"));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(e.problem().title()).isEqualTo("Replicas unavailable");
    }

    @Test
    void unavailableWithoutRetryAfterHasNone() {
        server.problem(503, "Replicas unavailable", "no replica of key 'x' could be read");

        UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> client.get("x"));

        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void aWriteAnswered504IsUnconfirmedNotFailed() {
        server.problem(504, "Write not confirmed by every replica", "node-2 has not confirmed it yet");

        assertThatThrownBy(() -> client.put("x", "v")).isInstanceOf(WriteUnconfirmedException.class);
        assertThatThrownBy(() -> client.delete("x")).isInstanceOf(WriteUnconfirmedException.class);
    }

    @Test
    void aReadAnswered504IsAPlainErrorResponseAsNothingWasWritten() {
        server.answer(504, "gateway timeout");

        ErrorResponseException e = catchThrowableOfType(ErrorResponseException.class, () -> client.get("x"));

        assertThat(e).isNotInstanceOf(WriteUnconfirmedException.class);
        assertThat(e.status()).isEqualTo(504);
    }

    @Test
    void otherClientErrorsAreBadRequestsWithTheDetailThatSaysWhatToFix() {
        server.problem(400, "Invalid request", "Content-Type 'x' is not a media type like text/plain");

        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> client.put("x", new byte[0], "x", Condition.none()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.problem().detail()).isEqualTo("Content-Type 'x' is not a media type like text/plain");
    }

    @Test
    void serverErrorsAreErrorResponsesWithTheirStatus() {
        server.answer(500, "");

        ErrorResponseException e = catchThrowableOfType(ErrorResponseException.class, () -> client.get("x"));

        assertThat(e).isExactlyInstanceOf(ErrorResponseException.class);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.problem()).isEqualTo(new Problem(null, "Internal Server Error", 500, null, null, null));
    }

    @Test
    void problemTypeAndExtensionMembersAreKept() {
        server.answer(409, """
                {"type":"https://kv.dev/problems/busy","title":"Busy","status":409,"detail":"d",
                 "instance":"/kv/x","currentVersion":7,"nodes":["node-1"],"hint":null}""",
                "Content-Type", "application/problem+json");

        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.get("x"));

        assertThat(e.problem().type()).isEqualTo("https://kv.dev/problems/busy");
        assertThat(e.problem().properties()).containsEntry("currentVersion", 7)
                .containsEntry("nodes", List.of("node-1")).containsEntry("hint", null).hasSize(3);
    }

    @Test
    void anErrorThatIsNotProblemJsonStillGivesAProblemWithTheBodyAsDetail() {
        server.answer(400, "<!doctype html><html><body>HTTP Status 400 - Bad Request</body></html>",
                "Content-Type", "text/html;charset=utf-8");

        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.get("x"));

        assertThat(e.problem().title()).isEqualTo("Bad Request");
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().detail()).startsWith("<!doctype html>");
    }

    @Test
    void aJsonErrorThatIsNotAnObjectFallsBackToText() {
        server.answer(502, "[1,2]", "Content-Type", "application/json");

        ErrorResponseException e = catchThrowableOfType(ErrorResponseException.class, () -> client.get("x"));

        assertThat(e.problem()).isEqualTo(new Problem(null, "Bad Gateway", 502, "[1,2]", null, null));
    }

    // ---- transport ----------------------------------------------------------------------------

    @Test
    void aRefusedConnectionWasNotSent() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        KvClient nobodyThere = new KvClient(URI.create("http://127.0.0.1:" + port));

        TransportException e = catchThrowableOfType(TransportException.class, () -> nobodyThere.put("a", "v"));

        assertThat(e.mayHaveReachedServer()).isFalse();
        assertThat(e).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerMayHaveReachedTheServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
                    in.read(); // the request arrived; hang up without answering
                } catch (IOException ignored) {
                    // The test sees the outcome through the client.
                }
            });
            KvClient client = new KvClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()));

            TransportException e = catchThrowableOfType(TransportException.class, () -> client.put("a", "v"));

            assertThat(e.mayHaveReachedServer()).isTrue();
        }
    }

    @Test
    void aTimeoutMayHaveReachedTheServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KvClient impatient = new KvClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    HttpClient.newHttpClient(), Duration.ofMillis(100));

            TransportException e = catchThrowableOfType(TransportException.class, () -> impatient.put("a", "v"));

            assertThat(e.mayHaveReachedServer()).isTrue();
            assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void anInterruptedCallKeepsTheInterruptAndMayHaveReachedTheServer() {
        server.answer(200, "v", "ETag", "\"1\"", "Content-Type", "text/plain");
        Thread.currentThread().interrupt();
        try {
            TransportException e = catchThrowableOfType(TransportException.class, () -> client.get("a"));

            assertThat(e.mayHaveReachedServer()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    // ---- the cluster ------------------------------------------------------------------------

    /** Trimmed from a real coordinator's answer, plus members this client does not know. */
    private static final String NODES = """
            {"nodes":[
              {"id":"node-1","url":"http://127.0.0.1:38629","state":"UP","lastHeartbeat":"2026-11-22T06:43:07.813252967Z",
               "heartbeatAgeMillis":412,"ringShare":0.3350218994195509,"positions":[-9199524197285180952,9134233727431387853],"ownKeys":12,
               "prevKeys":10,"zone":"eu-1"},
              {"id":"node-2","url":null,"state":"DOWN","lastHeartbeat":null,"ringShare":0.66,"positions":[1],
               "ownKeys":null,"prevKeys":null}],
             "ranges":{"formed":true,"ranges":1536,"twoCopies":1000,"oneCopy":536,"noCopy":0},
             "migration":{"change":"node-2 fails","phase":"copying","keysToMove":40,"keysMoved":3,
                          "startedAt":"2026-11-22T06:43:08Z","lastError":null,"eta":"soon"},
             "version":2}""";

    @Test
    void nodesMapsTheCoordinatorsDocumentAndIgnoresMembersItDoesNotKnow() {
        server.answer(200, NODES, "Content-Type", "application/json");

        ClusterStatus status = client.nodes();

        assertThat(server.lastRequest().rawPath()).isEqualTo("/nodes");
        assertThat(status.nodes()).extracting(ClusterStatus.Node::id).containsExactly("node-1", "node-2");
        ClusterStatus.Node first = status.node("node-1").orElseThrow();
        assertThat(first).isEqualTo(new ClusterStatus.Node("node-1", "http://127.0.0.1:38629", "UP",
                Instant.parse("2026-11-22T06:43:07.813252967Z"), 412L, 0.3350218994195509,
                List.of(-9199524197285180952L, 9134233727431387853L), 12, 10));
        assertThat(first.isUp()).isTrue();
        ClusterStatus.Node down = status.node("node-2").orElseThrow();
        assertThat(down.url()).isNull();
        assertThat(down.ownKeys()).isNull();
        assertThat(down.isUp()).isFalse();
        assertThat(status.ranges()).isEqualTo(new ClusterStatus.Ranges(true, 1536, 1000, 536, 0));
        assertThat(status.migration()).isEqualTo(new ClusterStatus.Migration("node-2 fails", "copying", 40, 3,
                Instant.parse("2026-11-22T06:43:08Z"), null));
        assertThat(status.fullyReplicated()).isFalse();
    }

    @Test
    void nodesThatAreNotJsonAreAnUnreadableAnswer() {
        server.answer(200, "<html>", "Content-Type", "text/html");

        assertThatThrownBy(() -> client.nodes()).isExactlyInstanceOf(KvClientException.class)
                .hasMessageContaining("not the expected JSON");
    }

    @Test
    void placementSendsTheKeyAsAnEncodedQueryParameterAndReturnsThePreferenceList() {
        server.answer(200, "{\"key\":\"a/b c\",\"hash\":-2840511740814562781,\"nodes\":[\"node-3\",\"node-2\"]}",
                "Content-Type", "application/json");

        assertThat(client.placement("a/b c&d")).containsExactly("node-3", "node-2");
        assertThat(server.lastRequest().rawPath()).isEqualTo("/nodes/placement");
        assertThat(server.lastRequest().rawQuery()).isEqualTo("key=a%2Fb%20c%26d");
    }

    @Test
    void removeNodeIsTrueWhenAcceptedAndFalseForAnUnknownNode() {
        server.answer(202, "");
        assertThat(client.removeNode("node-4")).isTrue();
        assertThat(server.lastRequest().method()).isEqualTo("DELETE");
        assertThat(server.lastRequest().rawPath()).isEqualTo("/nodes/node-4");

        server.answer(404, "");
        assertThat(client.removeNode("no/such node")).isFalse();
        assertThat(server.lastRequest().rawPath()).isEqualTo("/nodes/no%2Fsuch%20node");
    }
}
