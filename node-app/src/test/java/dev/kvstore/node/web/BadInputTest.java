package dev.kvstore.node.web;

import static dev.kvstore.web.BadInput.assertProblem;
import static dev.kvstore.web.BadInput.none;
import static dev.kvstore.web.BadInput.of;
import static dev.kvstore.web.BadInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.web.BadInput;
import dev.kvstore.web.BadInput.Case;
import dev.kvstore.web.RawHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every endpoint of the node against broken input, on the running app over a raw socket: each case
 * must be a 4xx problem+json whose detail says what to fix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kv.node.id=node-bad-input",
        "kv.node.max-value-size=1KB",
        "kv.node.max-body-size=100KB",
        "kv.wal.fsync=off"})
class BadInputTest {

    private static final String JSON = "Content-Type: application/json";

    @TempDir
    static Path data;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataAndNoCoordinator(DynamicPropertyRegistry registry) throws IOException {
        registry.add("kv.node.data-dir", () -> data.toString());
        int unused;
        try (ServerSocket probe = new ServerSocket(0)) {
            unused = probe.getLocalPort();
        }
        registry.add("kv.coordinator.urls", () -> "http://127.0.0.1:" + unused);
    }

    static Stream<Case> cases() {
        String key1025 = "k".repeat(1025);
        String value1025 = Base64.getEncoder().encodeToString(new byte[1025]);
        return Stream.of(
                // POST /internal/txn/{txId}/prepare
                of("prepare: malformed JSON", "POST", "/internal/txn/t1/prepare", List.of(JSON), text("{\"key\":"),
                        400, "not valid JSON"),
                of("prepare: not an object", "POST", "/internal/txn/t1/prepare", List.of(JSON), text("[]"), 400,
                        "must be an object"),
                of("prepare: value not base64", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":5}"), 400,
                        "'value' must be a base64 string"),
                of("prepare: value with invalid base64", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"!!!\"}"), 400,
                        "'value' must be a base64 string"),
                of("prepare: unknown table", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"NOPE\",\"op\":\"PUT\"}"), 400, "one of OWN, PREV"),
                of("prepare: unknown op", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"MERGE\"}"), 400, "one of PUT, DELETE"),
                of("prepare: expectedVersion not a number", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\",\"expectedVersion\":\"new\"}"), 400,
                        "'expectedVersion' must be a whole number"),
                of("prepare: peers not a list", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\",\"peers\":{}}"), 400,
                        "'peers' must be an array"),
                of("prepare: missing fields", "POST", "/internal/txn/t1/prepare", List.of(JSON), text("{}"), 400,
                        "needs key, table"),
                of("prepare: empty key", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"\",\"table\":\"OWN\",\"op\":\"DELETE\"}"), 400, "the key is empty"),
                of("prepare: key over 1024 bytes", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"" + key1025 + "\",\"table\":\"OWN\",\"op\":\"DELETE\"}"), 400,
                        "the limit is 1024"),
                of("prepare: PUT without value", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\"}"), 400, "needs a value"),
                of("prepare: value over the limit", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"" + value1025 + "\"}"), 413,
                        "the limit is 1024"),
                of("prepare: transaction id over 128 characters", "POST", "/internal/txn/" + "t".repeat(129)
                                + "/prepare", List.of(JSON), text("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\"}"),
                        400, "1 to 128 characters"),
                of("prepare: no body", "POST", "/internal/txn/t1/prepare", List.of(JSON), none(), 400, "JSON object"),
                of("prepare: text/plain", "POST", "/internal/txn/t1/prepare", List.of("Content-Type: text/plain"),
                        text("{}"), 415, "application/json"),
                of("prepare: Content-Length over the body limit, body never sent", "POST", "/internal/txn/t1/prepare",
                        List.of(JSON), new BadInput.Body.Truncated(1_000_000_000L, "{".getBytes(StandardCharsets.UTF_8)),
                        413, "the limit is 102400 bytes"),
                of("prepare: chunked body over the limit", "POST", "/internal/txn/t1/prepare", List.of(JSON),
                        new BadInput.Body.Chunked("{\"key\":\"", 1024 * 1024), 413, "limit of 102400 bytes"),
                of("prepare: by GET", "GET", "/internal/txn/t1/prepare", List.of(), none(), 405, "use POST"),
                // POST /internal/txn/{txId}/commit and /abort, GET /internal/txn/{txId}, POST .../inquiry
                of("commit: version not a number", "POST", "/internal/txn/t1/commit", List.of(JSON),
                        text("{\"version\":\"abc\"}"), 400, "'version' must be a whole number"),
                of("commit: version missing", "POST", "/internal/txn/t1/commit", List.of(JSON), text("{}"), 400,
                        "'version' is required"),
                of("commit: version zero", "POST", "/internal/txn/t1/commit", List.of(JSON), text("{\"version\":0}"),
                        400, "positive version"),
                of("commit: never prepared", "POST", "/internal/txn/never/commit", List.of(JSON),
                        text("{\"version\":5}"), 404, "never"),
                of("commit: by PUT", "PUT", "/internal/txn/t1/commit", List.of(JSON), text("{\"version\":5}"), 405,
                        "use POST"),
                of("abort: by GET", "GET", "/internal/txn/t1/abort", List.of(), none(), 405, "use POST"),
                of("status: by DELETE", "DELETE", "/internal/txn/t1", List.of(), none(), 405, "use GET"),
                of("status: in XML", "GET", "/internal/txn/t1", List.of("Accept: application/xml"), none(), 406,
                        "application/json"),
                of("inquiry: by GET", "GET", "/internal/txn/t1/inquiry", List.of(), none(), 405, "use POST"),
                // GET /internal/kv, GET /internal/tables/{table}
                of("read: no key", "GET", "/internal/kv?table=own", List.of(), none(), 400, "?key="),
                of("read: no table", "GET", "/internal/kv?key=k", List.of(), none(), 400, "?table="),
                of("read: unknown table", "GET", "/internal/kv?table=bogus&key=k", List.of(), none(), 400,
                        "'own' or 'prev'"),
                of("read: empty key", "GET", "/internal/kv?table=own&key=", List.of(), none(), 400, "the key is empty"),
                of("read: absent key", "GET", "/internal/kv?table=own&key=absent", List.of(), none(), 404,
                        "holds no key 'absent'"),
                of("read: by POST", "POST", "/internal/kv?table=own&key=k", List.of(), none(), 405, "use GET"),
                of("table: unknown", "GET", "/internal/tables/bogus", List.of(), none(), 400, "'own' or 'prev'"),
                of("table: by DELETE", "DELETE", "/internal/tables/own", List.of(), none(), 405, "use GET"),
                // /internal/ranges/*
                of("copy: empty request", "POST", "/internal/ranges/copy", List.of(JSON), text("{}"), 400,
                        "sourceUrl is required"),
                of("copy: source not http", "POST", "/internal/ranges/copy", List.of(JSON),
                        text("{\"sourceUrl\":\"ftp://x\",\"sourceTable\":\"OWN\",\"targetTable\":\"PREV\",\"ranges\":[]}"),
                        400, "base URL"),
                of("copy: range without bounds", "POST", "/internal/ranges/copy", List.of(JSON),
                        text("{\"sourceUrl\":\"http://127.0.0.1:1\",\"sourceTable\":\"OWN\",\"targetTable\":\"PREV\","
                                + "\"ranges\":[{}]}"), 400, "'ranges[0].fromExclusive' is required"),
                of("copy: no target table", "POST", "/internal/ranges/copy", List.of(JSON),
                        text("{\"sourceUrl\":\"http://127.0.0.1:1\",\"sourceTable\":\"OWN\",\"ranges\":[]}"), 400,
                        "targetTable is required"),
                of("export: no table", "POST", "/internal/ranges/export", List.of(JSON), text("{\"ranges\":[]}"), 400,
                        "table is required"),
                of("move: same table", "POST", "/internal/ranges/move", List.of(JSON),
                        text("{\"from\":\"OWN\",\"to\":\"OWN\",\"ranges\":[]}"), 400, "OWN"),
                of("drop: unknown table", "POST", "/internal/ranges/drop", List.of(JSON),
                        text("{\"table\":\"BOTH\",\"ranges\":[]}"), 400, "one of OWN, PREV"),
                of("count: ranges not a list", "POST", "/internal/ranges/count", List.of(JSON),
                        text("{\"table\":\"OWN\",\"ranges\":5}"), 400, "'ranges' must be an array"),
                of("count: by GET", "GET", "/internal/ranges/count", List.of(), none(), 405, "use POST"),
                // /internal/node, PUT /internal/ring
                of("node: in XML", "GET", "/internal/node", List.of("Accept: application/xml"), none(), 406,
                        "application/json"),
                of("node: by POST", "POST", "/internal/node", List.of(), none(), 405, "use GET"),
                of("ring: epoch missing", "PUT", "/internal/ring", List.of(JSON), text("{\"nodes\":[\"a\"]}"), 400,
                        "'epoch' is required"),
                of("ring: epoch zero", "PUT", "/internal/ring", List.of(JSON), text("{\"epoch\":0,\"nodes\":[\"a\"]}"),
                        400, "positive epoch"),
                of("ring: null member", "PUT", "/internal/ring", List.of(JSON), text("{\"epoch\":1,\"nodes\":[null]}"),
                        400, "null"),
                of("ring: text/plain", "PUT", "/internal/ring", List.of("Content-Type: text/plain"), text("{}"), 415,
                        "application/json"),
                // Refused by Tomcat, or nowhere routed
                of("headers over the limit", "GET", "/internal/node", List.of("X-Big: " + "x".repeat(9000)), none(),
                        431, "headers"),
                of("invalid percent-encoding", "GET", "/internal/txn/%zz", List.of(), none(), 400, "two hex digits"),
                of("percent-encoding of invalid UTF-8", "GET", "/internal/txn/%C3%28", List.of(), none(), 400,
                        "not valid UTF-8"),
                of("no such endpoint", "GET", "/internal/nothing", List.of(), none(), 404, "/v3/api-docs"));
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

    /** The one place requests are built: add what every request needs here (a signature, say). */
    private RawHttp.Response send(Case c) throws IOException {
        return BadInput.send(port, c);
    }
}
