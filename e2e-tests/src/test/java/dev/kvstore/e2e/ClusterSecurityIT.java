package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster started by {@code bin/cluster} with {@code KV_CLUSTER_SECRET} set: clients notice nothing,
 * unsigned cluster calls are refused, and a node with another secret never joins. It runs with
 * {@code KV_AOT_CACHE=off}: the plain executable jars, no training, no AOT cache.
 */
class ClusterSecurityIT {

    private static final String SECRET = "e2e secret " + UUID.randomUUID();
    private static final Duration INTRUDER_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startSecuredCluster() throws Exception {
        cluster = new LocalCluster(dir.resolve("cluster"), Map.of(
                "KV_CLUSTER_SECRET", SECRET,
                "KV_AOT_CACHE", "off",
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        cluster.up(2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clientsNoticeNothingButUnsignedClusterCallsAreRefused() throws Exception {
        assertThat(cluster.put("secured/key", "hello").status()).isEqualTo(201);
        assertThat(cluster.get("secured/key").body()).isEqualTo("hello");
        List<LocalCluster.Node> nodes = cluster.nodes();
        assertThat(nodes).hasSize(2).allSatisfy(node -> assertThat(node.state()).isEqualTo("UP"));

        HttpResponse<String> table = send(HttpRequest.newBuilder(URI.create(nodes.get(0).url() + "/internal/tables/own")).GET());
        HttpResponse<String> registration = send(HttpRequest.newBuilder(URI.create(cluster.api() + "/nodes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"node-9\",\"url\":\"http://127.0.0.1:9\"}")));

        assertThat(List.of(table, registration)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("KV-HMAC");
        });
        assertThat(cluster.nodes()).extracting(LocalCluster.Node::id).doesNotContain("node-9");
        long copies = 0;
        for (LocalCluster.Node node : nodes) {
            copies += cluster.table(node, "own").containsKey("secured/key") ? 1 : 0;
            copies += cluster.table(node, "prev").containsKey("secured/key") ? 1 : 0;
        }
        assertThat(copies).as("signed reads of both replicas' tables").isEqualTo(2);
    }

    @Test
    void withKvAotCacheOffTheProcessesRunTheExecutableJarsWithoutACache() throws Exception {
        Map<String, String> recorded = cluster.recordedEnv();
        assertThat(recorded).containsEntry("CL_COORDINATOR_AOT", "").containsEntry("CL_NODE_AOT", "");
        assertThat(recorded.get("CL_COORDINATOR_JAR")).matches(".*/coordinator-app/target/coordinator-app-[^/]*-exec\\.jar");
        assertThat(recorded.get("CL_NODE_JAR")).matches(".*/node-app/target/node-app-[^/]*-exec\\.jar");
        assertThat(cluster.commandsOutput()).contains("AOT cache:   off (KV_AOT_CACHE=off)").doesNotContain("Training");
        for (String name : List.of("coordinator-1", "node-1", "node-2")) {
            assertThat(cluster.commandLine(name)).doesNotContain("-XX:AOTCache");
        }
    }

    @Test
    void nodeWithAnotherSecretNeverJoins() throws Exception {
        Path log = dir.resolve("intruder.log");
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", nodeJar().toString(),
                "--kv.node.id=node-intruder", "--kv.node.data-dir=" + dir.resolve("intruder"),
                "--kv.coordinator.urls=" + cluster.api())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KV_CLUSTER_SECRET", "not the cluster's secret, but long");
        Process intruder = builder.start();
        try {
            Instant deadline = Instant.now().plus(INTRUDER_TIMEOUT);
            while (!logContains(log, "refused this node's credentials (401)")) {
                assertThat(intruder.isAlive()).as("intruder still running; its log: %s", log).isTrue();
                assertThat(Instant.now()).as("the intruder logs its refusal within %s; its log: %s", INTRUDER_TIMEOUT, log)
                        .isBefore(deadline);
                Thread.sleep(500);
            }

            assertThat(cluster.nodes()).extracting(LocalCluster.Node::id).doesNotContain("node-intruder");
            assertThat(cluster.log("coordinator"))
                    .contains("refused POST /nodes from 127.0.0.1: BAD_SIGNATURE");
        } finally {
            intruder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean logContains(Path log, String text) throws IOException {
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path nodeJar() throws IOException {
        Path target = Path.of(System.getProperty("kv.repo.root", "..")).resolve("node-app/target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "node-app-*-exec.jar")) {
            return jars.iterator().next();
        }
    }
}
