package dev.kvstore.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.client.ClusterStatus;
import dev.kvstore.client.KvClient;
import dev.kvstore.model.KeyRead;
import dev.kvstore.model.ReadBatch;
import dev.kvstore.model.ReadBatchReply;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A cluster of real processes, driven through {@code bin/cluster} exactly as a user would, on free
 * ports and in a data directory of its own. The tests talk to the coordinators through {@link #client()},
 * the typed client users get, holding every coordinator's URL; the nodes' {@code /internal} endpoints,
 * and requests the client cannot make (a malformed header), go over raw HTTP.
 *
 * <p>The coordinators are {@code coordinator-1 .. coordinator-N} (one unless asked for more), and every
 * command taking a name takes one of them too; {@code "coordinator"} is the group's leader for
 * {@link #kill} and {@link #pause}, every coordinator not running for {@link #start}, every paused one
 * for {@link #resume}, as for {@code bin/cluster}.
 */
final class LocalCluster implements AutoCloseable {

    private static final Pattern ENTRY = Pattern.compile("\"key\":\"((?:[^\"\\\\]|\\\\.)*)\",\"version\":(\\d+)");
    private static final Pattern IN_DOUBT = Pattern.compile("\"inDoubt\"\\s*:\\s*(\\d+)");
    private static final Pattern RING_EPOCH = Pattern.compile("\"ring\"\\s*:\\s*\\{[^}]*\"epoch\"\\s*:\\s*(\\d+)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The nodes' batch bodies; lenient, as a node may add members. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A node as {@code GET /nodes} lists it; {@code url} is null for a ring member not registered yet. */
    record Node(String id, String url, String state) {
    }

    record Response(int status, String etag, String body, Map<String, List<String>> headers) {
        long version() {
            return Long.parseLong(etag.replace("\"", ""));
        }
    }

    /** bin/cluster's coordinator-k listens on port P+k-1 and on P+RAFT_PORT_OFFSET+k-1 for Raft. */
    private static final int RAFT_PORT_OFFSET = 1000;

    private final Path repo = Path.of(System.getProperty("kv.repo.root", "..")).toAbsolutePath().normalize();
    private final Path data;
    private final int port;
    private final int coordinators;
    private final Map<String, String> env;
    private final HttpClient http;
    /**
     * Signs calls to nodes' /internal API with the cluster's secret: KV_CLUSTER_SECRET in env, else the one
     * {@code bin/cluster up} generated into {@code DIR/cluster.secret}; read at the first signed call.
     */
    private RequestSigner signer;
    private final KvClient client;

    /** A cluster with one coordinator. */
    LocalCluster(Path data, Map<String, String> env) throws IOException {
        this(data, env, 1);
    }

    /** A cluster with {@code coordinators} coordinators in one group. */
    LocalCluster(Path data, Map<String, String> env, int coordinators) throws IOException {
        this.data = data;
        this.env = env;
        this.coordinators = coordinators;
        this.port = freePorts(coordinators);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        String ca = env.get("KV_TLS_CA");
        if (ca != null) {
            builder.sslContext(trusting(Path.of(ca)));
        }
        this.http = builder.build();
        this.client = new KvClient(coordinators().stream().map(name -> URI.create(api(name))).toList(), http,
                REQUEST_TIMEOUT, null);
    }

    /**
     * A port P with P .. P+count-1 (the coordinators) and the Raft ports P+1000 .. free, below Linux's
     * ephemeral range, where the nodes' ports (port 0) and outgoing connections come from.
     */
    private static int freePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            boolean free = true;
            for (int k = 0; k < count && free; k++) {
                free = isFree(first + k) && isFree(first + RAFT_PORT_OFFSET + k);
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("found no " + count + " free coordinator ports between 20000 and 31000");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void up(int nodes) throws IOException, InterruptedException {
        run("up", "--detach", "--coordinators", Integer.toString(coordinators), "--nodes", Integer.toString(nodes),
                "--port", Integer.toString(port));
    }

    /** {@code kill -9} of a node or coordinator by name; {@code "coordinator"} is the leader. */
    void kill(String name) throws IOException, InterruptedException {
        run("kill", name);
    }

    /**
     * Starts a node or coordinator again and returns once it is UP (a coordinator: once it answers and
     * every running node is UP); {@code "coordinator"} starts every coordinator not running.
     */
    void start(String name) throws IOException, InterruptedException {
        run("start", name);
    }

    /**
     * {@code kill -9} of the named processes ({@code "coordinator"}: the leader) one right after the other,
     * microseconds apart, with no script in between; returns once all are gone.
     */
    void killTogether(String... names) throws Exception {
        List<ProcessHandle> victims = new ArrayList<>();
        for (String name : names) {
            String recorded = name.equals("coordinator") ? leader() : name;
            long pid = Long.parseLong(Files.readString(data.resolve("pids").resolve(recorded + ".pid")).strip());
            victims.add(ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(recorded + " is not running")));
        }
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle victim : victims) {
            victim.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** A power cut: {@code kill -9} of every coordinator and every node in one signal call. */
    void killAll() throws IOException, InterruptedException {
        run("kill", "all");
    }

    /** Everything not running started at once; returns when every coordinator answers and every node is UP. */
    void startAll() throws IOException, InterruptedException {
        run("start", "all");
    }

    /** SIGSTOP: the process keeps its sockets but answers nothing and sends no heartbeats ("coordinator": the leader). */
    void pause(String name) throws IOException, InterruptedException {
        run("pause", name);
    }

    /** SIGCONT after {@link #pause} ("coordinator": every paused coordinator). */
    void resume(String name) throws IOException, InterruptedException {
        run("resume", name);
    }

    /** Whether the process bin/cluster recorded as {@code name} (in {@code pids/<name>.pid}) is alive. */
    boolean isRunning(String name) throws IOException {
        Path pid = data.resolve("pids").resolve(name + ".pid");
        return Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                .map(ProcessHandle::isAlive).orElse(false);
    }

    /** The command line of the process bin/cluster recorded as {@code name}, e.g. to see its JVM options. */
    String commandLine(String name) throws IOException {
        long pid = Long.parseLong(Files.readString(data.resolve("pids").resolve(name + ".pid")).strip());
        return ProcessHandle.of(pid).flatMap(process -> process.info().commandLine())
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"));
    }

    /** What bin/cluster recorded in {@code DIR/cluster.env}: its CL_* variables, quotes removed. */
    Map<String, String> recordedEnv() throws IOException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(data.resolve("cluster.env"))) {
            int eq = line.indexOf('=');
            if (line.startsWith("CL_") && eq > 0) {
                recorded.put(line.substring(0, eq), line.substring(eq + 1).replace("'", ""));
            }
        }
        return recorded;
    }

    /** What every bin/cluster command printed so far, stdout and stderr. */
    String commandsOutput() throws IOException {
        Path log = commandsLog();
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Path commandsLog() {
        return data.resolveSibling(data.getFileName() + "-cluster-commands.log");
    }

    /** The cluster's data directory: node data, and {@code logs/<name>.log} of every process. */
    Path data() {
        return data;
    }

    /**
     * The process's log as bin/cluster writes it (every start appends to it); {@code "coordinator"} is
     * every coordinator's log, one after the other.
     */
    String log(String name) throws IOException {
        if (name.equals("coordinator")) {
            StringBuilder all = new StringBuilder();
            for (String coordinator : coordinators()) {
                all.append(log(coordinator));
            }
            return all.toString();
        }
        Path log = data.resolve("logs").resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("down");
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("bin/cluster").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", data.toString()));
        Path log = commandsLog();
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " did not finish; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " failed:\n"
                    + Files.readString(log));
        }
    }

    /** The first coordinator's base URL: https when the cluster runs with TLS (KV_TLS_* in env). */
    String api() {
        return api("coordinator-1");
    }

    /** The base URL of {@code coordinator-k}. */
    String api(String coordinator) {
        int k = Integer.parseInt(coordinator.substring("coordinator-".length()));
        if (k < 1 || k > coordinators) {
            throw new IllegalArgumentException("no " + coordinator + " in a cluster of " + coordinators);
        }
        return (env.containsKey("KV_TLS_CA") ? "https" : "http") + "://127.0.0.1:" + (port + k - 1);
    }

    /** The first coordinator's port. */
    int port() {
        return port;
    }

    /** coordinator-1 .. coordinator-N. */
    List<String> coordinators() {
        return IntStream.rangeClosed(1, coordinators).mapToObj(k -> "coordinator-" + k).toList();
    }

    /** The coordinator that leads the group, as {@code GET /nodes} (through any coordinator) names it. */
    String leader() {
        return client.nodes().leader().map(ClusterStatus.Coordinator::id)
                .orElseThrow(() -> new IllegalStateException("GET /nodes names no leader"));
    }

    /** Each coordinator's role (LEADER, FOLLOWER, CANDIDATE, UNKNOWN) as the leader's {@code GET /nodes} lists it. */
    Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        client.nodes().coordinators().forEach(c -> roles.put(c.id(), c.role()));
        return roles;
    }

    /** A client of this one coordinator only (which forwards to the leader when it does not lead). */
    KvClient client(String coordinator) {
        return new KvClient(List.of(URI.create(api(coordinator))), http, REQUEST_TIMEOUT, null);
    }

    /** The ring's epoch as the coordinator's {@code /actuator/info} shows it (each coordinator's own view). */
    long ringEpoch(String coordinator) throws IOException, InterruptedException {
        Response info = send(HttpRequest.newBuilder(URI.create(api(coordinator) + "/actuator/info")).GET());
        Matcher m = RING_EPOCH.matcher(info.body());
        if (info.status() != 200 || !m.find()) {
            throw new IllegalStateException(coordinator + "'s /actuator/info has no ring epoch: " + info.status() + " "
                    + info.body());
        }
        return Long.parseLong(m.group(1));
    }

    /** A TLS context that trusts exactly the CA certificates in the PEM file. */
    static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caPem + ": " + e, e);
        }
    }

    /** The typed client, on every coordinator of this cluster (it sends to the one that answered last). */
    KvClient client() {
        return client;
    }

    /** {@code GET /nodes}, typed. */
    ClusterStatus status() {
        return client.nodes();
    }

    List<Node> nodes() {
        return client.nodes().nodes().stream().map(n -> new Node(n.id(), n.url(), n.state())).toList();
    }

    /** A raw {@code PUT /kv/{key}} as text/plain, for checks of the HTTP exchange itself; tests use {@link #client()}. */
    Response put(String key, String value, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(kv(key)).PUT(HttpRequest.BodyPublishers.ofString(value));
        request.header("Content-Type", "text/plain");
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** A raw {@code GET /kv/{key}}; tests use {@link #client()}. */
    Response get(String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(kv(key)).GET());
    }

    /** A raw {@code DELETE /kv/{key}}; tests use {@link #client()}. */
    Response delete(String key, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(kv(key)).DELETE();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Key to version for every key in a node's table, read through the node's internal API. */
    Map<String, Long> table(Node node, String table) throws IOException, InterruptedException {
        Map<String, Long> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(send(internal(URI.create(node.url() + "/internal/tables/" + table))).body());
        while (m.find()) {
            entries.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return entries;
    }

    /** How many transactions the node holds in doubt ({@code GET /internal/node}). */
    int inDoubt(Node node) throws IOException, InterruptedException {
        Matcher m = IN_DOUBT.matcher(send(internal(URI.create(node.url() + "/internal/node"))).body());
        if (!m.find()) {
            throw new IllegalStateException(node.id() + "'s /internal/node has no inDoubt count");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The key's preference list as the coordinator routes it now: primary first. */
    List<String> placement(String key) {
        return client.placement(key);
    }

    /**
     * The committed value of {@code key} in a node's table ({@code own} or {@code prev}), read as the
     * coordinator reads it: a batch of one read ({@code POST /internal/kv/batch}). Answered as a plain
     * read would be: 200 with the value as text, its version as ETag and its Content-Type; else the
     * status of the read's error (404 absent; 409 held by a transaction in doubt, so read the other
     * replica) with its detail as the body; or the node's own answer when it refused the whole request.
     */
    Response readReplica(Node node, String table, String key) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(new ReadBatch(List.of(
                new KeyRead(Table.valueOf(table.toUpperCase(Locale.ROOT)), key))));
        URI uri = URI.create(node.url() + "/internal/kv/batch");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        RequestSigner signer = signer();
        if (signer != null) {
            request.header("Authorization", signer.authorization("POST", uri, body));
        }
        Response batch = send(request);
        if (batch.status() != 200) {
            return batch;
        }
        ReadReply read = JSON.readValue(batch.body(), ReadBatchReply.class).replies().getFirst();
        if (read.error() != null) {
            return new Response(read.error().status(), null, read.detail(), batch.headers());
        }
        return new Response(200, "\"" + read.version() + "\"", new String(read.value(), UTF_8),
                Map.of("content-type", List.of(read.contentType())));
    }

    /** A GET of a node's internal API, signed when the cluster has a secret. */
    private HttpRequest.Builder internal(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        RequestSigner signer = signer();
        if (signer != null) {
            request.header("Authorization", signer.authorization("GET", uri, null));
        }
        return request;
    }

    /** The cluster's secret as {@code bin/cluster} runs it: null only for a cluster started with --insecure. */
    String secret() throws IOException {
        Path recorded = data.resolve("cluster.secret");
        return env.containsKey("KV_CLUSTER_SECRET") ? env.get("KV_CLUSTER_SECRET")
                : Files.exists(recorded) ? Files.readString(recorded).strip() : null;
    }

    private synchronized RequestSigner signer() {
        if (signer == null) {
            try {
                String secret = secret();
                signer = secret == null ? null : new RequestSigner(ClusterKey.fromSecret(secret), Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return signer;
    }

    private URI kv(String key) {
        return URI.create(api() + "/kv/" + key);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("ETag").orElse(null),
                response.body(), response.headers().map());
    }
}
