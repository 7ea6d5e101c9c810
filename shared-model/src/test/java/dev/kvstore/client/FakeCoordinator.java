package dev.kvstore.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted stand-in for the coordinator on a random 127.0.0.1 port: answers every request with the
 * answer set last, and records the requests as they arrived (raw path, headers, body).
 */
final class FakeCoordinator implements AutoCloseable {

    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(",", values);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, List<String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer = new Answer(500, List.of(), new byte[0]);

    FakeCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request from now on is answered so; headers as name, value, name, value... */
    FakeCoordinator answer(int status, String body, String... headers) {
        answer = new Answer(status, List.of(headers), body.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A problem+json answer, as the coordinator's ProblemHandler writes it. */
    FakeCoordinator problem(int status, String title, String detail, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/problem+json"));
        all.addAll(List.of(headers));
        return answer(status, "{\"detail\":\"" + detail + "\",\"instance\":\"/kv/x\",\"status\":" + status
                + ",\"title\":\"" + title + "\"}", all.toArray(String[]::new));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("no request arrived");
        }
        return requests.getLast();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                    in.readAllBytes()));
            Answer a = answer;
            for (int i = 0; i < a.headers().size(); i += 2) {
                exchange.getResponseHeaders().add(a.headers().get(i), a.headers().get(i + 1));
            }
            boolean noBody = a.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(a.status(), noBody ? -1 : a.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
