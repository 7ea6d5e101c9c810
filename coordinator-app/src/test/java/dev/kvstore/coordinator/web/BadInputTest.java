package dev.kvstore.coordinator.web;

import static dev.kvstore.web.BadInput.assertProblem;
import static dev.kvstore.web.BadInput.none;
import static dev.kvstore.web.BadInput.of;
import static dev.kvstore.web.BadInput.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.Vote;
import dev.kvstore.web.BadInput.Case;
import dev.kvstore.web.BadInput;
import dev.kvstore.web.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Every endpoint of the coordinator against broken input, on the running app over a raw socket:
 * each case must be a 4xx problem+json whose detail says what to fix. The nodes are a mock; two of
 * them are registered and on the ring, so writes get as far as two-phase commit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kv.api.max-value-size=1KB",
        "kv.api.max-body-size=2KB",
        "kv.membership.heartbeat-timeout=1h",
        "kv.membership.formation-window=1h"})
class BadInputTest {

    private static final String JSON = "Content-Type: application/json";
    private static final int VALUE_LIMIT = 1024;

    @LocalServerPort
    int port;
    @Autowired
    Membership membership;
    @Autowired
    RingHolder ring;
    @MockitoBean
    NodeClient nodes;

    @BeforeEach
    void twoNodesOnTheRing() {
        if (!ring.formed()) {
            membership.register("n1", "http://127.0.0.1:1");
            membership.register("n2", "http://127.0.0.1:2");
            ring.publish(HashRing.of(List.of("n1", "n2"), 8));
        }
        // Any key stands at version 7, and no node holds a value.
        given(nodes.prepare(any(), any(), any())).willAnswer(call -> Vote.no(call.getArgument(1), Vote.CONFLICT, 7));
        given(nodes.prepareAsync(any(), any(), any())).willAnswer(call ->
                CompletableFuture.completedFuture(Vote.no(call.getArgument(1), Vote.CONFLICT, 7)));
        given(nodes.read(any(), any(), any())).willReturn(Optional.empty());
    }

    static Stream<Case> cases() {
        String longKey = "k".repeat(1025);
        String longUtf8Key = "%C3%A9".repeat(513); // 513 x 'é' = 1026 bytes
        return Stream.of(
                // /kv/{key}: keys
                of("empty key (GET)", "GET", "/kv/", List.of(), none(), 400, "the key is empty"),
                of("empty key (PUT)", "PUT", "/kv/", List.of(), text("v"), 400, "the key is empty"),
                of("empty key (DELETE)", "DELETE", "/kv/", List.of(), none(), 400, "the key is empty"),
                of("key over 1024 bytes", "GET", "/kv/" + longKey, List.of(), none(), 400, "the limit is 1024"),
                of("key over 1024 bytes of UTF-8", "PUT", "/kv/" + longUtf8Key, List.of(), text("v"), 400,
                        "1026 bytes"),
                of("invalid percent-encoding", "GET", "/kv/%zz", List.of(), none(), 400, "two hex digits"),
                of("percent-encoding of invalid UTF-8", "GET", "/kv/%C3%28", List.of(), none(), 400,
                        "not valid UTF-8"),
                of("encoded slash", "PUT", "/kv/a%2Fb", List.of(), text("v"), 400, "unencoded"),
                of("path above the root", "GET", "/kv/../../etc", List.of(), none(), 400, "'..'"),
                of("absent key", "GET", "/kv/nothing-here", List.of(), none(), 404, "no value is stored"),
                // /kv/{key}: conditions
                of("If-Match not a version", "PUT", "/kv/k", List.of("If-Match: \"abc\""), text("v"), 400,
                        "like \"17\""),
                of("If-Match version 0", "DELETE", "/kv/k", List.of("If-Match: \"0\""), none(), 400,
                        "like \"17\""),
                of("If-Match with two versions", "PUT", "/kv/k", List.of("If-Match: \"1\", \"2\""), text("v"),
                        400, "one version"),
                of("If-Match of another version", "PUT", "/kv/k", List.of("If-Match: \"123\""), text("v"), 412,
                        "at version 7"),
                of("If-Match of another version (DELETE)", "DELETE", "/kv/k", List.of("If-Match: \"123\""),
                        none(), 412, "at version 7"),
                of("If-Match and If-None-Match", "PUT", "/kv/k", List.of("If-Match: \"1\"", "If-None-Match: *"),
                        text("v"), 400, "not both"),
                of("If-None-Match other than *", "PUT", "/kv/k", List.of("If-None-Match: \"5\""), text("v"), 400,
                        "only *"),
                // /kv/{key}: values
                of("value over the limit", "PUT", "/kv/k", List.of(), text("v".repeat(VALUE_LIMIT + 1)), 413,
                        "limit of 1024 bytes"),
                of("Content-Length over the limit, body never sent", "PUT", "/kv/k", List.of(),
                        new BadInput.Body.Truncated(1_000_000_000L, "abc".getBytes(StandardCharsets.UTF_8)), 413,
                        "limit of 1024 bytes"),
                of("chunked value over the limit", "PUT", "/kv/k", List.of(), new BadInput.Body.Chunked("", 64 * 1024), 413,
                        "limit of 1024 bytes"),
                of("Content-Type not a media type", "PUT", "/kv/k", List.of("Content-Type: not a type"),
                        text("v"), 400, "not a media type"),
                of("unsupported method on /kv", "POST", "/kv/k", List.of(), text("v"), 405,
                        "use GET, HEAD, PUT, DELETE"),
                of("PATCH on /kv", "PATCH", "/kv/k", List.of(), text("v"), 405, "DELETE"),
                // /nodes
                of("registration: malformed JSON", "POST", "/nodes", List.of(JSON), text("{\"id\":"), 400,
                        "not valid JSON"),
                of("registration: wrong JSON type", "POST", "/nodes", List.of(JSON),
                        text("{\"id\":\"n9\",\"url\":\"http://127.0.0.1:9\",\"lastRing\":[1]}"), 400,
                        "'lastRing' must be an object"),
                of("registration: epoch not a number", "POST", "/nodes", List.of(JSON),
                        text("{\"id\":\"n9\",\"url\":\"http://127.0.0.1:9\",\"lastRing\":{\"epoch\":\"x\"}}"), 400,
                        "'lastRing.epoch' must be a whole number"),
                of("registration: missing fields", "POST", "/nodes", List.of(JSON), text("{}"), 400,
                        "id must be"),
                of("registration: bad url", "POST", "/nodes", List.of(JSON),
                        text("{\"id\":\"n9\",\"url\":\"ftp://x\"}"), 400, "http(s) URL"),
                of("registration: not an object", "POST", "/nodes", List.of(JSON), text("[]"), 400,
                        "must be an object"),
                of("registration: no body", "POST", "/nodes", List.of(JSON), none(), 400, "JSON object"),
                of("registration: text/plain", "POST", "/nodes", List.of("Content-Type: text/plain"),
                        text("{}"), 415, "application/json"),
                of("registration over the body limit", "POST", "/nodes", List.of(JSON),
                        new BadInput.Body.Truncated(1_000_000_000L, "{".getBytes(StandardCharsets.UTF_8)), 413,
                        "limit is 2048 bytes"),
                of("chunked registration over the body limit", "POST", "/nodes", List.of(JSON),
                        new BadInput.Body.Chunked("{\"id\":\"", 64 * 1024), 413, "limit of 2048 bytes"),
                of("node list in XML", "GET", "/nodes", List.of("Accept: application/xml"), none(), 406,
                        "application/json"),
                of("unsupported method on /nodes", "DELETE", "/nodes", List.of(), none(), 405, "use GET"),
                of("heartbeat of an unknown node", "PUT", "/nodes/stranger/heartbeat", List.of(), none(), 404,
                        "POST /nodes"),
                of("heartbeat by POST", "POST", "/nodes/n1/heartbeat", List.of(), none(), 405, "use PUT"),
                of("removal of an unknown node", "DELETE", "/nodes/stranger", List.of(), none(), 404,
                        "GET /nodes"),
                of("placement without key", "GET", "/nodes/placement", List.of(), none(), 400, "?key="),
                of("placement of the empty key", "GET", "/nodes/placement?key=", List.of(), none(), 400,
                        "the key is empty"),
                of("placement by POST", "POST", "/nodes/placement?key=k", List.of(), none(), 405, "use GET"),
                // /internal/txn/{id}
                of("transaction status by DELETE", "DELETE", "/internal/txn/t1", List.of(), none(), 405,
                        "use GET"),
                of("transaction status in XML", "GET", "/internal/txn/t1", List.of("Accept: application/xml"),
                        none(), 406, "application/json"),
                // Refused by Tomcat, or nowhere routed
                of("headers over the limit", "GET", "/kv/k", List.of("X-Big: " + "x".repeat(9000)), none(), 431,
                        "headers"),
                of("request line over the limit", "GET", "/kv/" + "k".repeat(9000), List.of(), none(), 414,
                        "1024 bytes"),
                of("no such endpoint", "GET", "/nothing", List.of(), none(), 404, "/v3/api-docs"),
                of("the error page asked for directly", "GET", "/error", List.of(), none(), 404,
                        "/v3/api-docs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyBadRequestIsAProblemThatSaysWhatToFix(Case c) throws IOException {
        RawHttp.Response response = send(c);

        assertProblem(response, c.status(), c.detail());
        if (c.status() == 405) {
            assertThat(response.header("Allow")).as("Allow").isNotBlank().contains("OPTIONS");
        }
    }

    @Test
    void oversizedValueIsRefusedBeforeTheClientSendsItWhenItAsksToContinue() throws IOException {
        RawHttp.Response response = new RawHttp(port, 10_000).send(
                BadInput.head("PUT", "/kv/k", List.of("Expect: 100-continue", "Content-Length: 1000000000")), new byte[0]);

        assertProblem(response, 413, "limit of 1024 bytes");
        assertThat(response.body()).doesNotContain("100 Continue");
        assertThat(response.closedByServer()).as("connection closed without waiting for the body").isTrue();
    }

    @Test
    void chunkedValueIsCutOffSoonAfterTheLimit() throws IOException {
        RawHttp.Chunked sent = new RawHttp(port, 10_000).sendChunked(BadInput.head("PUT", "/kv/k", List.of()), "",
                1024L * 1024 * 1024, 16 * 1024);

        assertProblem(sent.response(), 413, "limit of 1024 bytes");
        // Tomcat swallows up to server.tomcat.max-swallow-size (2 MB) after the answer, then closes.
        assertThat(sent.bytesSent()).isLessThan(64L * 1024 * 1024);
    }

    @ParameterizedTest(name = "{0} is key {1}")
    @CsvSource(delimiter = '|', value = {
            "/kv/a;b | a;b", "/kv/a%3Bb | a;b", "/kv/a%25b | a%b", "/kv/a%20b | a b", "/kv/a+b | a+b",
            "/kv/a//b | a//b", "/kv/a/./b | a/./b", "/kv/dir/ | dir/", "/kv/%E2%82%AC | \u20ac", "/kv/a?x=1 | a"})
    void keysArriveAsSent(String path, String key) throws IOException {
        RawHttp.Response response = new RawHttp(port, 10_000).send(BadInput.head("GET", path, List.of()), new byte[0]);

        assertProblem(response, 404, "key '" + key.translateEscapes() + "'");
    }

    @Test
    void headAnswersTheStatusOfTheProblem() throws IOException {
        RawHttp.Response response = new RawHttp(port, 10_000).send(BadInput.head("HEAD", "/kv/", List.of()), new byte[0]);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    /** The one place requests are built: add what every request needs here (a signature, say). */
    private RawHttp.Response send(Case c) throws IOException {
        return BadInput.send(port, c);
    }
}
