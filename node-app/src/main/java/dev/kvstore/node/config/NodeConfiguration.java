package dev.kvstore.node.config;

import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.Table;
import dev.kvstore.node.cluster.CoordinatorEndpoints;
import dev.kvstore.node.cluster.HttpCoordinatorClient;
import dev.kvstore.node.cluster.NodeIdentity;
import dev.kvstore.node.cluster.Registrar;
import dev.kvstore.node.cluster.RingStore;
import dev.kvstore.node.disk.DiskSpace;
import dev.kvstore.node.disk.SpaceProbe;
import dev.kvstore.node.participant.HttpDecisionTransport;
import dev.kvstore.node.participant.LogRepair;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.TxnBatches;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.WalListener;
import dev.kvstore.web.security.ClusterSecurityProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** Wires the pure core (log, participant, registrar) to the disk, HTTP and timers. */
@Configuration(proxyBeanMethods = false)
public class NodeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NodeConfiguration.class);

    private final NodeProperties node;
    private final WalProperties wal;
    private final ParticipantProperties participantProperties;
    private final CoordinatorProperties coordinator;
    private final DiskProperties diskProperties;
    /** For https calls to the coordinator and peers: the cluster's SSL bundle, or null for the JDK default. */
    private final SSLContext clusterTls;
    /** Whether this node's own server speaks TLS (server.ssl), so the URL it registers is https. */
    private final boolean serverTls;
    private Participant participant;
    private Registrar registrar;

    public NodeConfiguration(NodeProperties node, WalProperties wal, ParticipantProperties participantProperties,
                             CoordinatorProperties coordinator, DiskProperties diskProperties,
                             ClusterSecurityProperties cluster, SslBundles bundles, ServerProperties server) {
        this.node = node;
        this.diskProperties = diskProperties;
        this.wal = wal;
        this.participantProperties = participantProperties;
        this.coordinator = coordinator;
        this.clusterTls = cluster.clientSslContext(bundles).orElse(null);
        this.serverTls = Ssl.isEnabled(server.getSsl());
    }

    @Bean
    String nodeId() throws IOException {
        return NodeIdentity.resolve(node.id(), node.dataDir());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The coordinators and which answered last, shared by registration, heartbeats and decision lookups. */
    @Bean
    CoordinatorEndpoints coordinatorEndpoints() {
        return new CoordinatorEndpoints(coordinator.urls(), HttpCoordinatorClient::noAnswer);
    }

    /** For the coordinators and the peers: no base URL, the cluster's TLS and timeouts. */
    @Bean
    RestClient peerRestClient(RestClient.Builder builder) {
        return builder.clone().requestFactory(requestFactory()).build();
    }

    /**
     * The peer client for pulling range copies: the same client, but the read timeout of a JDK request
     * factory bounds the whole exchange, body included (it closes the body stream when it fires), so a
     * copy gets {@code kv.node.range-copy-timeout} instead of the few seconds a 2PC call may take.
     */
    @Bean
    RestClient rangeCopyRestClient(RestClient peerRestClient) {
        return peerRestClient.mutate().requestFactory(requestFactory(node.rangeCopyTimeout())).build();
    }

    /** The room on the data directory's file system, against the watermarks. */
    @Bean
    DiskSpace diskSpace(Clock clock, String nodeId) {
        // nodeId first: resolving it creates the data directory the probe reads.
        return new DiskSpace(SpaceProbe.of(node.dataDir()), diskProperties.lowWatermark(),
                diskProperties.highWatermark(), clock, diskProperties.readEvery());
    }

    @Bean(destroyMethod = "close")
    Participant participant(String nodeId, Clock clock, CoordinatorEndpoints coordinatorEndpoints,
                            RestClient peerRestClient, DiskSpace diskSpace) throws IOException {
        ParticipantOptions options = new ParticipantOptions(participantProperties.decisionTimeout(),
                participantProperties.outcomeRetention(), Math.toIntExact(node.maxValueSize().toBytes()),
                participantProperties.tombstoneRetention(), diskSpace::roomForNewData);
        participant = Participant.open(nodeId, node.dataDir().resolve("wal"), wal.toOptions(), Disk.REAL, options,
                clock, new HttpDecisionTransport(nodeId, coordinatorEndpoints, peerRestClient, clock,
                        this::keyInDoubt));
        log.info("nodeId={} storage ready in {}: {} own keys, {} prev keys, fsync {}", nodeId,
                node.dataDir().toAbsolutePath(), participant.tables().size(Table.OWN),
                participant.tables().size(Table.PREV), wal.fsync());
        return participant;
    }

    /** For the transport's warnings; asked only by the resolve timer, which starts once the participant is set. */
    private Optional<String> keyInDoubt(String txId) {
        return participant == null ? Optional.empty() : participant.inDoubtTransactions().stream()
                .filter(t -> t.txId().equals(txId)).map(InDoubtTransaction::key).findFirst();
    }

    /** Up to 1024 messages a batch: far more than the coordinator sends (its default is 256). */
    @Bean
    TxnBatches txnBatches(Participant participant, ExecutorService batchExecutor) {
        return new TxnBatches(participant, batchExecutor, 1024);
    }

    /** Runs the messages of a batch concurrently, so their log records share fsyncs. */
    @Bean(destroyMethod = "close")
    ExecutorService batchExecutor() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    @Bean
    Tables tables(Participant participant) {
        return participant.tables();
    }

    @Bean
    RingStore ringStore() {
        return new RingStore(node.dataDir());
    }

    /**
     * Heartbeats carry whether the log writes and the disk has room; a failed log is told at once, and so is
     * its repair.
     */
    @Bean
    Registrar registrar(CoordinatorEndpoints coordinatorEndpoints, RestClient peerRestClient, RingStore ringStore,
                        Participant participant, DiskSpace diskSpace) {
        registrar = new Registrar(new HttpCoordinatorClient(coordinatorEndpoints, peerRestClient), ringStore::current,
                () -> heartbeat(participant, diskSpace));
        participant.log().addListener(new WalListener() {
            @Override
            public void failed(IOException error) {
                registrar.tellNow();
            }
        });
        return registrar;
    }

    /** Reopens a failed log once the disk has room, and tells the coordinator at once. */
    @Bean
    LogRepair logRepair(Participant participant, DiskSpace diskSpace, Registrar registrar, Clock clock) {
        return new LogRepair(participant, diskSpace::roomForNewData, registrar::tellNow, clock);
    }

    private static NodeHeartbeat heartbeat(Participant participant, DiskSpace disk) {
        boolean full = disk.level() == DiskSpace.Level.FULL;
        return participant.log().failure()
                .map(e -> new NodeHeartbeat(false, "its write-ahead log failed: " + e, full))
                .orElseGet(() -> new NodeHeartbeat(true, null, full));
    }

    /** Registers the URL of the port the server actually got (server.port=0 picks a free one). */
    @EventListener
    public void onServerStarted(WebServerInitializedEvent event) {
        String url = node.advertisedUrl() != null
                ? node.advertisedUrl().toString().replaceAll("/+$", "")
                : (serverTls ? "https" : "http") + "://127.0.0.1:" + event.getWebServer().getPort();
        registrar.announce(new NodeRegistration(participant.nodeId(), url, instanceToken()));
        log.info("nodeId={} serving at {}; registering with {}", participant.nodeId(), url, coordinator.urls());
    }

    private String instanceToken() {
        try {
            return NodeIdentity.instanceToken(node.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the instance token in " + node.dataDir(), e);
        }
    }

    private JdkClientHttpRequestFactory requestFactory() {
        return requestFactory(coordinator.readTimeout());
    }

    private JdkClientHttpRequestFactory requestFactory(Duration readTimeout) {
        HttpClient.Builder client = HttpClient.newBuilder()
                .connectTimeout(coordinator.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (clusterTls != null) {
            // The JDK client verifies the host name against the certificate; that stays on.
            client.sslContext(clusterTls);
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client.build());
        factory.setReadTimeout(readTimeout);
        return factory;
    }
}
