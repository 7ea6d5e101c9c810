package dev.kvstore.node.web;

import static dev.kvstore.web.BadInput.assertProblem;
import static dev.kvstore.web.BadInput.none;
import static dev.kvstore.web.BadInput.of;
import static dev.kvstore.web.BadInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.NodeError;
import dev.kvstore.web.BadInput;
import dev.kvstore.web.BadInput.Case;
import dev.kvstore.web.RawHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of the node against broken input, on the running app over a raw socket: each case
 * must be a 4xx problem+json whose detail says what to fix; a bad message or read inside a well-formed
 * batch is refused alone, in its reply, with its error and a detail that says what to fix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kv.node.id=node-bad-input",
        "kv.node.max-value-size=1KB",
        "kv.node.max-body-size=100KB",
        "kv.wal.fsync=off"})
class BadInputTest {

    private static final String JSON = "Content-Type: application/json";
    private static final String TXN_BATCH = "/internal/txn/batch";
    private static final String KV_BATCH = "/internal/kv/batch";
    private static final JsonMapper json = JsonMapper.builder().build();

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
        return Stream.of(
                // POST /internal/txn/batch: what refuses the whole batch (a bad message alone is in refusals())
                of("txn batch: malformed JSON", "POST", TXN_BATCH, List.of(JSON), text("{\"messages\":[{\"txId\":"),
                        400, "not valid JSON"),
                of("txn batch: not an object", "POST", TXN_BATCH, List.of(JSON), text("[]"), 400, "must be an object"),
                of("txn batch: messages not a list", "POST", TXN_BATCH, List.of(JSON), text("{\"messages\":5}"), 400,
                        "'messages' must be an array"),
                of("txn batch: unknown kind", "POST", TXN_BATCH, List.of(JSON), message("{\"txId\":\"t1\",\"kind\":\"MERGE\"}"),
                        400, "'messages[0].kind' must be one of PREPARE, COMMIT, ABORT"),
                of("prepare: value not base64", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":5}"), 400,
                        "'messages[0].prepare.value' must be a base64 string"),
                of("prepare: value with invalid base64", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"!!!\"}"), 400,
                        "'messages[0].prepare.value' must be a base64 string"),
                of("prepare: unknown table", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"NOPE\",\"op\":\"PUT\"}"), 400, "one of OWN, PREV"),
                of("prepare: unknown op", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"MERGE\"}"), 400, "one of PUT, DELETE"),
                of("prepare: expectedVersion not a number", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\",\"expectedVersion\":\"new\"}"), 400,
                        "'messages[0].prepare.expectedVersion' must be a whole number"),
                of("prepare: peers not a list", "POST", TXN_BATCH, List.of(JSON),
                        prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\",\"peers\":{}}"), 400,
                        "'messages[0].prepare.peers' must be an array"),
                of("commit: version not a number", "POST", TXN_BATCH, List.of(JSON),
                        message("{\"txId\":\"t1\",\"kind\":\"COMMIT\",\"version\":\"abc\"}"), 400,
                        "'messages[0].version' must be a whole number"),
                of("txn batch: over 1024 messages", "POST", TXN_BATCH, List.of(JSON),
                        text(batch("messages", "{\"txId\":\"t1\",\"kind\":\"ABORT\"}", 1025)), 400,
                        "at most 1024 messages"),
                of("txn batch: no body", "POST", TXN_BATCH, List.of(JSON), none(), 400, "JSON object"),
                of("txn batch: text/plain", "POST", TXN_BATCH, List.of("Content-Type: text/plain"), text("{}"), 415,
                        "application/json"),
                of("txn batch: Content-Length over the body limit, body never sent", "POST", TXN_BATCH, List.of(JSON),
                        new BadInput.Body.Truncated(1_000_000_000L, "{".getBytes(StandardCharsets.UTF_8)), 413,
                        "the limit is 102400 bytes"),
                of("txn batch: chunked body over the limit", "POST", TXN_BATCH, List.of(JSON),
                        new BadInput.Body.Chunked("{\"messages\":[{\"txId\":\"", 1024 * 1024), 413, "limit of 102400 bytes"),
                // Not by GET: that is the status of a transaction named "batch".
                of("txn batch: by PUT", "PUT", TXN_BATCH, List.of(JSON), text("{}"), 405, "POST"),
                // GET /internal/txn/{txId}, POST .../inquiry
                of("status: by DELETE", "DELETE", "/internal/txn/t1", List.of(), none(), 405, "use GET"),
                of("status: in XML", "GET", "/internal/txn/t1", List.of("Accept: application/xml"), none(), 406,
                        "application/json"),
                of("inquiry: by GET", "GET", "/internal/txn/t1/inquiry", List.of(), none(), 405, "use POST"),
                // POST /internal/kv/batch (a bad read alone is in refusals()), GET /internal/tables/{table}
                of("read: unknown table", "POST", KV_BATCH, List.of(JSON), read("{\"table\":\"bogus\",\"key\":\"k\"}"), 400,
                        "'reads[0].table' must be one of OWN, PREV"),
                of("read: reads not a list", "POST", KV_BATCH, List.of(JSON), text("{\"reads\":{}}"), 400,
                        "'reads' must be an array"),
                of("read: by GET", "GET", KV_BATCH, List.of(), none(), 405, "use POST"),
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

    /** A message or read refused on its own: the batch is answered 200, its one reply with the error and a detail. */
    record Refusal(String name, String path, String body, NodeError error, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        String key1025 = "k".repeat(1025);
        String value1025 = Base64.getEncoder().encodeToString(new byte[1025]);
        return Stream.of(
                refused("prepare: missing fields", "{\"txId\":\"t1\",\"kind\":\"PREPARE\",\"prepare\":{}}",
                        NodeError.INVALID_REQUEST, "needs key, table"),
                refused("prepare: no write", "{\"txId\":\"t1\",\"kind\":\"PREPARE\"}", NodeError.INVALID_REQUEST,
                        "needs key, table"),
                refused("prepare: empty key", prepareMessage("t1", "{\"key\":\"\",\"table\":\"OWN\",\"op\":\"DELETE\"}"),
                        NodeError.INVALID_REQUEST, "the key is empty"),
                refused("prepare: key over 1024 bytes",
                        prepareMessage("t1", "{\"key\":\"" + key1025 + "\",\"table\":\"OWN\",\"op\":\"DELETE\"}"),
                        NodeError.INVALID_REQUEST, "the limit is 1024"),
                refused("prepare: PUT without value", prepareMessage("t1", "{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\"}"),
                        NodeError.INVALID_REQUEST, "needs a value"),
                refused("prepare: value over the limit",
                        prepareMessage("t1", "{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"" + value1025 + "\"}"),
                        NodeError.VALUE_TOO_LARGE, "the limit is 1024"),
                refused("prepare: transaction id over 128 characters",
                        prepareMessage("t".repeat(129), "{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"DELETE\"}"),
                        NodeError.INVALID_REQUEST, "1 to 128 characters"),
                refused("message without a kind", "{\"txId\":\"t1\"}", NodeError.INVALID_REQUEST,
                        "PREPARE, COMMIT or ABORT"),
                refused("commit: version missing", "{\"txId\":\"t1\",\"kind\":\"COMMIT\"}", NodeError.INVALID_REQUEST,
                        "a COMMIT needs a version"),
                refused("commit: version zero", "{\"txId\":\"t1\",\"kind\":\"COMMIT\",\"version\":0}",
                        NodeError.INVALID_REQUEST, "positive version"),
                refused("commit: never prepared", "{\"txId\":\"never\",\"kind\":\"COMMIT\",\"version\":5}",
                        NodeError.UNKNOWN_TRANSACTION, "never"),
                refused("abort: no transaction id", "{\"kind\":\"ABORT\"}", NodeError.INVALID_REQUEST,
                        "1 to 128 characters"),
                new Refusal("read: no key", KV_BATCH, "{\"reads\":[{\"table\":\"OWN\"}]}", NodeError.INVALID_REQUEST,
                        "the key is empty"),
                new Refusal("read: no table", KV_BATCH, "{\"reads\":[{\"key\":\"k\"}]}", NodeError.INVALID_REQUEST,
                        "needs a table (OWN or PREV)"),
                new Refusal("read: empty key", KV_BATCH, "{\"reads\":[{\"table\":\"OWN\",\"key\":\"\"}]}",
                        NodeError.INVALID_REQUEST, "the key is empty"),
                new Refusal("read: absent key", KV_BATCH, "{\"reads\":[{\"table\":\"OWN\",\"key\":\"absent\"}]}",
                        NodeError.KEY_NOT_FOUND, "no key 'absent' in table OWN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyBadMessageIsRefusedAloneWithAnErrorAndADetailThatSaysWhatToFix(Refusal r) throws IOException {
        RawHttp.Response response = send(of(r.name(), "POST", r.path(), List.of(JSON), text(r.body()), 200, r.detail()));

        assertThat(response.status()).as("status of %s", response).isEqualTo(200);
        JsonNode replies = json.readTree(response.body()).path("replies");
        assertThat(replies.size()).as("replies").isEqualTo(1);
        assertThat(replies.get(0).path("error").asString()).as("error").isEqualTo(r.error().name());
        assertThat(replies.get(0).path("detail").asString()).as("detail").contains(r.detail());
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    private static Refusal refused(String name, String message, NodeError error, String detail) {
        return new Refusal(name, TXN_BATCH, "{\"messages\":[" + message + "]}", error, detail);
    }

    private static String prepareMessage(String txId, String write) {
        return "{\"txId\":\"" + txId + "\",\"kind\":\"PREPARE\",\"prepare\":" + write + "}";
    }

    /** A transaction batch of one message. */
    private static BadInput.Body message(String message) {
        return text("{\"messages\":[" + message + "]}");
    }

    /** A transaction batch of one prepare of {@code write}. */
    private static BadInput.Body prepare(String write) {
        return message(prepareMessage("t1", write));
    }

    /** A read batch of one read. */
    private static BadInput.Body read(String read) {
        return text("{\"reads\":[" + read + "]}");
    }

    /** {@code {"<field>":[element, ...]}} with {@code count} copies of element. */
    private static String batch(String field, String element, int count) {
        return "{\"" + field + "\":[" + String.join(",", Collections.nCopies(count, element)) + "]}";
    }

    /** The one place requests are built: add what every request needs here (a signature, say). */
    private RawHttp.Response send(Case c) throws IOException {
        return BadInput.send(port, c);
    }
}
