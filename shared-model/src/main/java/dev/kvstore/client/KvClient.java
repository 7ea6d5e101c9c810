package dev.kvstore.client;

import dev.kvstore.model.Keys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;

/**
 * A typed client for the coordinator's HTTP API. Thread-safe: share one instance.
 *
 * <pre>{@code
 * KvClient kv = new KvClient(URI.create("http://localhost:8080"));
 * WriteResult w = kv.put("app/db/url", "jdbc:pg://db");
 * kv.put("app/db/url", "jdbc:pg://db2", Condition.ifVersion(w.version()));   // compare-and-set
 * String url = kv.get("app/db/url").map(Entry::asString).orElse("none");
 *
 * KvClient secured = new KvClient(URI.create("https://kv.example:8443")).withApiKey(System.getenv("KV_API_KEY"));
 *
 * KvClient group = new KvClient(List.of(URI.create("http://kv-1:8080"), URI.create("http://kv-2:8080")));
 * }</pre>
 *
 * <p>Given several coordinators (any of them answers any request), the client sends to the one that
 * answered last and moves to the next only when a connection to it is refused or its host does not
 * resolve: the request was then never sent, so sending it elsewhere is safe. Every other failure (a
 * timeout, a dropped connection, any status) is reported as with one coordinator.
 *
 * <p>Every method throws a {@link KvClientException} when it cannot do what it says: see the subclasses
 * for which failures leave a write undone and which leave it open. Keys are checked locally against the
 * rules every part enforces ({@link dev.kvstore.model.Keys}): an invalid key is an
 * {@link IllegalArgumentException}, and nothing is sent.
 */
public final class KvClient {

    /** How long a request may take, answer included, unless given otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What the String overloads store; the coordinator hands it back as given. */
    public static final String TEXT_UTF8 = "text/plain;charset=UTF-8";

    private static final String OCTET_STREAM = "application/octet-stream";

    /** The coordinators' base URLs, without a trailing slash. */
    private final List<String> bases;
    /** The index in {@link #bases} of the coordinator that answered last. */
    private final AtomicInteger current;
    private final HttpClient http;
    private final Duration requestTimeout;
    /** {@code Bearer <key>}, or null for a coordinator without client API keys. */
    private final String authorization;

    /** A client with its own {@link HttpClient} (HTTP/1.1, 5 s to connect) and the default request timeout. */
    public KvClient(URI baseUri) {
        this(List.of(Objects.requireNonNull(baseUri, "baseUri")));
    }

    /** Like {@link #KvClient(URI)}, for a group of coordinators: see the class comment for which is used. */
    public KvClient(List<URI> baseUris) {
        this(baseUris, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), DEFAULT_REQUEST_TIMEOUT, null);
    }

    /**
     * @param baseUri        the coordinator, like {@code http://localhost:8080} (a path prefix is kept)
     * @param http           the JDK client to send with, shared and configured by the caller
     * @param requestTimeout how long each request may take before it fails with a {@link TransportException}
     */
    public KvClient(URI baseUri, HttpClient http, Duration requestTimeout) {
        this(baseUri, http, requestTimeout, null);
    }

    /**
     * Like {@link #KvClient(URI, HttpClient, Duration)}, sending a client API key with every request.
     *
     * @param apiKey the key, sent as {@code Authorization: Bearer <apiKey>}; null for none
     */
    public KvClient(URI baseUri, HttpClient http, Duration requestTimeout, String apiKey) {
        this(List.of(Objects.requireNonNull(baseUri, "baseUri")), http, requestTimeout, apiKey);
    }

    /**
     * Like {@link #KvClient(URI, HttpClient, Duration, String)}, for a group of coordinators.
     *
     * @param baseUris the coordinators, tried in this order from the first
     */
    public KvClient(List<URI> baseUris, HttpClient http, Duration requestTimeout, String apiKey) {
        this(baseUris, http, requestTimeout, apiKey, 0);
    }

    private KvClient(List<URI> baseUris, HttpClient http, Duration requestTimeout, String apiKey, int current) {
        Objects.requireNonNull(baseUris, "baseUris");
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("name at least one coordinator");
        }
        this.bases = baseUris.stream().map(KvClient::base).toList();
        this.current = new AtomicInteger(current);
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive; got " + requestTimeout);
        }
        if (apiKey != null && (apiKey.isBlank() || !apiKey.strip().equals(apiKey)
                || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            // Never the key itself in the message: it may end up in a log.
            throw new IllegalArgumentException("the API key must be printable ASCII without spaces ("
                    + apiKey.length() + " characters given)");
        }
        this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    }

    private static String base(URI baseUri) {
        Objects.requireNonNull(baseUri, "baseUri");
        if (!"http".equalsIgnoreCase(baseUri.getScheme()) && !"https".equalsIgnoreCase(baseUri.getScheme())) {
            throw new IllegalArgumentException("the coordinator's URI must be http(s)://host:port; got " + baseUri);
        }
        String text = baseUri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The same client (same coordinators, HTTP client and timeout), sending this API key with every request. */
    public KvClient withApiKey(String apiKey) {
        return new KvClient(baseUris(), http, requestTimeout, Objects.requireNonNull(apiKey, "apiKey"), current.get());
    }

    /** The coordinator that answered last (the first one until another answers instead). */
    public URI baseUri() {
        return URI.create(bases.get(current.get()));
    }

    /** Every coordinator this client may send to, in the order they are tried. */
    public List<URI> baseUris() {
        return bases.stream().map(URI::create).toList();
    }

    // ---- values -----------------------------------------------------------------------------

    /** The key's value, or empty when it has none (404). */
    public Optional<Entry> get(String key) {
        Exchange x = send("GET", kv(key), HttpRequest.newBuilder().GET(), false);
        return switch (x.status()) {
            case 200 -> Optional.of(new Entry(key, x.body(), x.header("Content-Type").orElse(OCTET_STREAM),
                    x.version()));
            case 404 -> Optional.empty();
            default -> throw x.unexpected();
        };
    }

    /** Whether the key has a value ({@code HEAD}: no value transferred). */
    public boolean exists(String key) {
        Exchange x = send("HEAD", kv(key), HttpRequest.newBuilder().method("HEAD", HttpRequest.BodyPublishers.noBody()),
                false);
        return switch (x.status()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw x.unexpected();
        };
    }

    /**
     * Stores the value under the key.
     *
     * @param contentType stored with the value and handed back by {@link #get}; {@code null} for
     *                    {@code application/octet-stream}
     * @throws PreconditionFailedException the condition did not hold; nothing was written
     * @throws ValueTooLargeException      the value is over the coordinator's limit; nothing was written
     * @throws UnavailableException        a replica cannot commit now; nothing was written
     * @throws InsufficientStorageException a replica's disk is below its high watermark; nothing was written
     * @throws WriteUnconfirmedException   the write's outcome is unknown: it may or may not take effect
     * @throws TransportException          no answer; see {@link TransportException#mayHaveReachedServer()}
     */
    public WriteResult put(String key, byte[] value, String contentType, Condition condition) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(condition, "condition");
        HttpRequest.Builder request = HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofByteArray(value));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (condition.header() != null) {
            request.header(condition.header(), condition.value());
        }
        Exchange x = send("PUT", kv(key), request, true);
        return switch (x.status()) {
            case 201 -> new WriteResult(x.version(), true);
            case 200 -> new WriteResult(x.version(), false);
            default -> throw x.unexpected();
        };
    }

    /** Stores a string as UTF-8 text ({@value #TEXT_UTF8}), unconditionally. */
    public WriteResult put(String key, String value) {
        return put(key, value, Condition.none());
    }

    /** Stores a string as UTF-8 text ({@value #TEXT_UTF8}) if the condition holds. */
    public WriteResult put(String key, String value, Condition condition) {
        return put(key, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8), TEXT_UTF8, condition);
    }

    /** Deletes the key's value: {@code true} when deleted, {@code false} when it had none. */
    public boolean delete(String key) {
        return delete(key, Condition.none());
    }

    /**
     * Deletes the key's value if the condition holds: {@code true} when deleted, {@code false} when it had
     * none (with {@link Condition#none()}; a version condition on an absent key is a
     * {@link PreconditionFailedException}).
     */
    public boolean delete(String key, Condition condition) {
        return deleteWithVersion(key, condition).isPresent();
    }

    /**
     * Like {@link #delete(String, Condition)}, with the version of the deletion (the coordinator's ETag;
     * later writes of the key get higher ones), or empty when the key had no value.
     *
     * @throws IllegalArgumentException for {@link Condition#ifAbsent()}, which means nothing for a delete
     */
    public OptionalLong deleteWithVersion(String key, Condition condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.isIfAbsent()) {
            throw new IllegalArgumentException("a delete takes no If-None-Match: use none(), ifExists() or ifVersion()");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder().DELETE();
        if (condition.header() != null) {
            request.header(condition.header(), condition.value());
        }
        Exchange x = send("DELETE", kv(key), request, true);
        return switch (x.status()) {
            case 204, 200 -> OptionalLong.of(x.version());
            case 404 -> OptionalLong.empty();
            default -> throw x.unexpected();
        };
    }

    // ---- the cluster ------------------------------------------------------------------------

    /** {@code GET /nodes}: every node, the ring's replica coverage, and the migration in progress. */
    public ClusterStatus nodes() {
        return nodes(false);
    }

    /** {@link #nodes()}, with each node's ring positions when {@code withPositions}. */
    public ClusterStatus nodes(boolean withPositions) {
        Exchange x = send("GET", "/nodes" + (withPositions ? "?positions=true" : ""), HttpRequest.newBuilder().GET(),
                false);
        if (x.status() != 200) {
            throw x.unexpected();
        }
        return x.json(ClusterStatus.class);
    }

    /** The key's preference list as the coordinator routes it now: primary (own table) first, then replica. */
    public List<String> placement(String key) {
        requireValid(key);
        Exchange x = send("GET", "/nodes/placement?key=" + UriEncoding.component(key), HttpRequest.newBuilder().GET(),
                false);
        if (x.status() != 200) {
            throw x.unexpected();
        }
        Placement placement = x.json(Placement.class);
        return placement.nodes() == null ? List.of() : List.copyOf(placement.nodes());
    }

    /**
     * Starts the graceful removal of a node (202): its data moves to the nodes taking over its ranges, then
     * it leaves (watch {@link #nodes()}); stop its process afterwards. {@code false} for an unknown node.
     */
    public boolean removeNode(String id) {
        Objects.requireNonNull(id, "id");
        Exchange x = send("DELETE", "/nodes/" + UriEncoding.component(id), HttpRequest.newBuilder().DELETE(), false);
        if (x.status() == 404) {
            return false;
        }
        if (x.status() / 100 != 2) {
            throw x.unexpected();
        }
        return true;
    }

    /** {@code GET /nodes/placement}'s answer. */
    private record Placement(String key, long hash, List<String> nodes) {
    }

    // ---- HTTP -------------------------------------------------------------------------------

    private static String kv(String key) {
        requireValid(key);
        return "/kv/" + UriEncoding.keyPath(key);
    }

    private static void requireValid(String key) {
        String problem = Keys.problem(key);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Sends to the coordinator that answered last, then to each next one while connections are refused
     * (each at most once).
     */
    private Exchange send(String method, String path, HttpRequest.Builder request, boolean write) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        int first = current.get();
        TransportException notSent = null;
        for (int i = 0; i < bases.size(); i++) {
            int index = (first + i) % bases.size();
            URI uri = URI.create(bases.get(index) + path);
            String what = method + " " + uri;
            try {
                HttpResponse<byte[]> response = http.send(request.uri(uri).timeout(requestTimeout).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (index != first) {
                    current.compareAndSet(first, index);
                }
                return new Exchange(what, write, response);
            } catch (ConnectException | UnresolvedAddressException refused) {
                // No connection, so the request was never sent: the next coordinator may have it. (A connect
                // timeout is an HttpConnectTimeoutException, an IOException: counted below as "may have",
                // which is safe if overly careful.)
                notSent = new TransportException(what + ": not sent, the connection failed (" + refused + ")"
                        + (bases.size() > 1 ? "; nor did it to any other coordinator" : ""), false, refused);
            } catch (IOException e) {
                throw new TransportException(what + ": no answer (" + e + "); the request may have taken effect", true,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(what + ": interrupted; the request may have taken effect", true, e);
            }
        }
        throw notSent;
    }

    /** One request and its answer. */
    private record Exchange(String what, boolean write, HttpResponse<byte[]> response) {

        int status() {
            return response.statusCode();
        }

        byte[] body() {
            return response.body() == null ? new byte[0] : response.body();
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        /** The version in the ETag, which every success that names a value carries. */
        long version() {
            String etag = header("ETag").orElse(null);
            long version = parseVersion(etag);
            if (version <= 0) {
                throw new KvClientException(what + " -> " + status() + " without a version in its ETag (got "
                        + etag + ")" + (write ? "; the request reached the coordinator and may have taken effect" : ""));
            }
            return version;
        }

        <T> T json(Class<T> type) {
            try {
                return Json.read(body(), type);
            } catch (JacksonException e) {
                throw new KvClientException(what + " -> " + status() + " with a body that is not the expected JSON: "
                        + e.getOriginalMessage(), e);
            }
        }

        /** The exception for an answer the caller did not expect, by status. */
        KvClientException unexpected() {
            int status = status();
            if (status < 400) {
                return new KvClientException(what + " -> unexpected status " + status
                        + (write ? "; the request reached the coordinator and may have taken effect" : ""));
            }
            Problem problem = Json.problem(status, header("Content-Type").orElse(null), body());
            return switch (status) {
                case 412 -> new PreconditionFailedException(what, problem);
                case 413 -> new ValueTooLargeException(what, problem);
                case 503 -> new UnavailableException(what, problem,
                        RetryAfter.parse(header("Retry-After").orElse(null), Instant.now()));
                case 507 -> new InsufficientStorageException(what, problem);
                case 504 -> write ? new WriteUnconfirmedException(what, problem)
                        : new ErrorResponseException(what, status, problem);
                default -> status < 500 ? new BadRequestException(what, status, problem)
                        : new ErrorResponseException(what, status, problem);
            };
        }
    }

    /** The version in an ETag like {@code "17"} (or weak {@code W/"17"}); 0 when there is none. */
    static long parseVersion(String etag) {
        if (etag == null) {
            return 0;
        }
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notAVersion) {
            return 0;
        }
    }
}
