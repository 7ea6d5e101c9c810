package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The table rows of the apps' bad-input tests: a broken request as raw bytes and what it must be
 * answered; how it is sent; and what every answer must look like (a problem+json with the status,
 * a title, and a detail that says what to fix, without a trace of the server's internals).
 */
public final class BadInput {

    private static final JsonMapper mapper = JsonMapper.builder().build();

    private BadInput() {
    }

    /** One request and its expected answer: {@code status}, and a {@code detail} that contains the given text. */
    public record Case(String name, String method, String path, List<String> headers, Body body, int status,
                       String detail) {

        public Case withHeader(String header) {
            List<String> more = new ArrayList<>(headers);
            more.add(header);
            return new Case(name, method, path, List.copyOf(more), body, status, detail);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A body as sent: none, complete, declared longer than what follows, or chunked. */
    public sealed interface Body {
        record None() implements Body {
        }

        record Bytes(byte[] bytes) implements Body {
        }

        record Truncated(long declared, byte[] sent) implements Body {
        }

        /** {@code prefix}, then 'x's up to {@code total} bytes. */
        record Chunked(String prefix, long total) implements Body {
        }
    }

    public static Case of(String name, String method, String path, List<String> headers, Body body, int status,
                          String detail) {
        return new Case(name, method, path, List.copyOf(headers), body, status, detail);
    }

    public static Body none() {
        return new Body.None();
    }

    public static Body text(String body) {
        return new Body.Bytes(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the case on a fresh connection, with Host and Connection: close, and a Content-Length for a body. */
    public static RawHttp.Response send(int port, Case c) throws IOException {
        RawHttp http = new RawHttp(port, 10_000);
        List<String> headers = new ArrayList<>(c.headers());
        return switch (c.body()) {
            case Body.None none -> http.send(head(c.method(), c.path(), headers), new byte[0]);
            case Body.Bytes(byte[] bytes) -> {
                headers.add("Content-Length: " + bytes.length);
                yield http.send(head(c.method(), c.path(), headers), bytes);
            }
            case Body.Truncated(long declared, byte[] sent) -> {
                headers.add("Content-Length: " + declared);
                yield http.send(head(c.method(), c.path(), headers), sent);
            }
            case Body.Chunked(String prefix, long total) -> http.sendChunked(head(c.method(), c.path(), headers),
                    prefix, total, 8192).response();
        };
    }

    public static String head(String method, String path, List<String> headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close");
        headers.forEach(h -> head.append("\r\n").append(h));
        return head.toString();
    }

    /** A problem+json with this status, a title, and a detail containing {@code detail}; no internals. */
    public static void assertProblem(RawHttp.Response response, int status, String detail) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("Content-Type").startsWith("application/problem+json");
        JsonNode problem = mapper.readTree(response.body());
        assertThat(problem.path("status").asInt()).as("status in the body").isEqualTo(status);
        assertThat(problem.path("title").asString()).as("title").isNotBlank();
        assertThat(problem.path("detail").asString()).as("detail").contains(detail);
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "<html");
    }
}
