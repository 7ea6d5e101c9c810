package dev.kvstore.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.cluster.CoordinatorClient;
import dev.kvstore.node.cluster.NodeController;
import dev.kvstore.node.cluster.Registrar;
import dev.kvstore.node.cluster.RingStore;
import dev.kvstore.node.migration.HttpPeerRangeSource;
import dev.kvstore.node.migration.RangeController;
import dev.kvstore.node.migration.RangeMigration;
import dev.kvstore.node.participant.DecisionTransport;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.TxnBatchController;
import dev.kvstore.node.participant.TxnBatches;
import dev.kvstore.node.participant.TxnController;
import dev.kvstore.node.storage.TableController;
import dev.kvstore.node.term.TermStore;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.ByteArrayHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arbitrary bytes as the JSON body of every node endpoint that takes one, through Spring MVC with the
 * JSON mapper Spring Boot configures, the node's controllers and its problem handler, on a real
 * participant: every answer is a success or a 4xx problem with a detail, never a server error (a
 * range copy may answer 503, as its source cannot be reached here), nor a batch reply failed INTERNAL.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs in {@code RequestBodyFuzzTestInputs/}; to
 * fuzz, see the README ("Bad input and limits").
 */
class RequestBodyFuzzTest {

    record Endpoint(HttpMethod method, String path) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            // The order is part of the committed inputs: their last byte picks the endpoint.
            new Endpoint(HttpMethod.POST, "/internal/txn/batch"),
            new Endpoint(HttpMethod.POST, "/internal/kv/batch"),
            new Endpoint(HttpMethod.POST, "/internal/ranges/copy"),
            new Endpoint(HttpMethod.POST, "/internal/ranges/export"),
            new Endpoint(HttpMethod.POST, "/internal/ranges/move"),
            new Endpoint(HttpMethod.POST, "/internal/ranges/drop"),
            new Endpoint(HttpMethod.POST, "/internal/ranges/count"),
            new Endpoint(HttpMethod.PUT, "/internal/ring"));
    private static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Class<?>> QUIET = List.of(Participant.class, RangeMigration.class, RangeController.class, RingStore.class);

    private static ConfigurableApplicationContext jackson;
    private static ExecutorService batchExecutor;
    private static Path dir;
    private static TestNode node;
    private static MockMvc mvc;

    /**
     * Built on the first input rather than in {@code @BeforeAll}: Jazzer's agent only instruments
     * classes loaded after it is installed, which happens after {@code @BeforeAll}.
     */
    private static MockMvc mvc() throws IOException {
        if (mvc == null) {
            node();
        }
        return mvc;
    }

    private static void node() throws IOException {
        QUIET.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).setLevel(Level.OFF));
        jackson = new SpringApplicationBuilder(JacksonAutoConfiguration.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).run();
        JsonMapper mapper = jackson.getBean(JsonMapper.class);
        dir = Files.createTempDirectory(SCRATCH, "request-fuzz-");
        node = TestNode.open("node-fuzz", dir.resolve("wal"),
                new WalOptions(FsyncPolicy.OFF, 1 << 20, 1L << 40), Disk.REAL, new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1 << 12),
                Clock.systemUTC(), DecisionTransport.UNREACHABLE);
        RingStore ring = new RingStore(dir);
        Registrar registrar = new Registrar(new NoCoordinator(), ring::current);
        RestClient unreachable = RestClient.builder().requestFactory((uri, method) -> {
            throw new ConnectException("no network in this test");
        }).build();
        batchExecutor = Executors.newVirtualThreadPerTaskExecutor();
        mvc = MockMvcBuilders.standaloneSetup(new TxnController(node.participant()),
                        new TxnBatchController(new TxnBatches(node.participant(), batchExecutor, 1024)),
                        new RangeController(node.ranges(), new HttpPeerRangeSource(unreachable)),
                        new NodeController(registrar, node.replica(), node.log(), ring, TermStore.open(dir, Disk.REAL)),
                        new TableController(node.tables(), node.replica(),
                                new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1 << 12)))
                .setControllerAdvice(new ProblemHandler())
                .setMessageConverters(new ByteArrayHttpMessageConverter(), new JacksonJsonHttpMessageConverter(mapper))
                .build();
    }

    @AfterAll
    static void close() throws IOException {
        if (node == null) {
            return;
        }
        node.close();
        batchExecutor.close();
        jackson.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        QUIET.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).setLevel(null));
    }

    @FuzzTest(maxDuration = "5s")
    void everyBodyIsAnsweredWithoutAServerError(FuzzedDataProvider data) throws Exception {
        Endpoint endpoint = data.pickValue(ENDPOINTS);
        byte[] body = data.consumeRemainingAsBytes();

        MockHttpServletResponse response = mvc().perform(request(endpoint.method(), endpoint.path())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        // A yes vote would hold its key for good.
        node.participant().inDoubtTransactions().forEach(prepared -> node.participant().abort(prepared.txId()));

        int status = response.getStatus();
        boolean copy = endpoint.path().endsWith("/copy");
        assertThat(status).as("%s %s", endpoint, response.getContentAsString()).isLessThan(copy ? 504 : 500);
        if (status >= 400) {
            assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(response.getContentAsString()).contains("\"detail\":\"");
        }
        if (status < 500) {
            // A 503 from a copy names the source's failure for the operator; a 4xx never shows internals.
            assertThat(response.getContentAsString()).doesNotContain("Exception");
        }
        if (status == 200 && endpoint.path().endsWith("/batch")) {
            // A batch answers 200 whatever its messages met: a server error hides in a reply.
            for (JsonNode reply : JSON.readTree(response.getContentAsString()).path("replies")) {
                assertThat(reply.path("error").asString("")).as("%s %s", endpoint, reply)
                        .isNotEqualTo(NodeError.INTERNAL.name());
            }
        }
    }

    private static final class NoCoordinator implements CoordinatorClient {
        @Override
        public Result register(NodeRegistration registration) {
            return Result.FAILED;
        }

        @Override
        public Result heartbeat(String nodeId, NodeHeartbeat state) {
            return Result.FAILED;
        }
    }
}
