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
import dev.kvstore.node.migration.HttpPeerRangeSource;
import dev.kvstore.node.migration.PeerRangeSource;
import dev.kvstore.node.migration.RangeMigration;
import dev.kvstore.node.participant.DecisionTransport;
import dev.kvstore.node.participant.HttpDecisionTransport;
import dev.kvstore.node.participant.InDoubtResolver;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.PrepareValidator;
import dev.kvstore.node.participant.DirectTxnBatches;
import dev.kvstore.node.participant.TxnBatches;
import dev.kvstore.node.replica.LogRepair;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.snapshot.Snapshots;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.WalListener;
import dev.kvstore.node.wal.WriteAheadLog;
import dev.kvstore.web.security.ClusterSecurityProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.dataformat.cbor.CBORMapper;

/** Wires the pure core (replica and its log, participant, migration, snapshots, registrar) to the disk, HTTP and timers. */
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
    private Replica replica;
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

    /** The replica, rebuilt from its log, which it opens; the log is a bean of its own (below). */
    @Bean
    Replica replica(String nodeId, Clock clock) throws IOException {
        replica = Replica.open(nodeId, node.dataDir().resolve("wal"), wal.toOptions(), Disk.REAL, clock);
        log.info("nodeId={} storage ready in {}: {} own keys, {} prev keys, fsync {}", nodeId,
                node.dataDir().toAbsolutePath(), replica.tables().size(Table.OWN),
                replica.tables().size(Table.PREV), wal.fsync());
        return replica;
    }

    /** Closed after everything that writes to it. */
    @Bean(destroyMethod = "close")
    WriteAheadLog writeAheadLog(Replica replica) {
        return replica.log();
    }

    @Bean
    Tables tables(Replica replica) {
        return replica.tables();
    }

    @Bean
    ParticipantOptions participantOptions(DiskSpace diskSpace) {
        return new ParticipantOptions(participantProperties.decisionTimeout(),
                participantProperties.outcomeRetention(), Math.toIntExact(node.maxValueSize().toBytes()),
                participantProperties.tombstoneRetention(), diskSpace::roomForNewData,
                participantProperties.heldKeyWait());
    }

    @Bean
    Participant participant(Replica replica, WriteAheadLog writeAheadLog, ParticipantOptions options, Clock clock) {
        return new Participant(replica, writeAheadLog, options, clock);
    }

    /** Asks the coordinators and the peers; its warnings name the key a transaction in doubt holds. */
    @Bean
    InDoubtResolver inDoubtResolver(Participant participant, Replica replica, ParticipantOptions options,
                                    CoordinatorEndpoints coordinatorEndpoints, RestClient peerRestClient, Clock clock) {
        DecisionTransport transport = new HttpDecisionTransport(replica.nodeId(), coordinatorEndpoints,
                peerRestClient, clock, txId -> participant.inDoubtTransactions().stream()
                        .filter(t -> t.txId().equals(txId)).map(InDoubtTransaction::key).findFirst());
        return new InDoubtResolver(participant, replica, transport, options.decisionTimeout(), clock);
    }

    @Bean
    RangeMigration rangeMigration(Replica replica, WriteAheadLog writeAheadLog, ParticipantOptions options) {
        return new RangeMigration(replica, writeAheadLog, new PrepareValidator(options.maxValueBytes()),
                wal.toOptions().maxRecordBytes());
    }

    @Bean
    PeerRangeSource peerRangeSource(RestClient rangeCopyRestClient) {
        return new HttpPeerRangeSource(rangeCopyRestClient);
    }

    @Bean
    Snapshots snapshots(Replica replica, WriteAheadLog writeAheadLog, ParticipantOptions options, Clock clock) {
        return new Snapshots(replica, writeAheadLog, clock, options.tombstoneRetention());
    }

    /** Up to 1024 messages a batch: far more than the coordinator sends (its default is 256). */
    @Bean
    TxnBatches txnBatches(Participant participant, ExecutorService batchExecutor) {
        return new TxnBatches(participant, batchExecutor, 1024);
    }

    /**
     * The coordinator's CBOR batches, answered before Spring MVC: after the signature check
     * (HIGHEST_PRECEDENCE + 10) and the term fence (+ 20), so only a signed call of a current leader gets here.
     */
    @Bean
    FilterRegistrationBean<DirectTxnBatches> directTxnBatches(TxnBatches batches, CBORMapper cbor,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        FilterRegistrationBean<DirectTxnBatches> registration =
                new FilterRegistrationBean<>(new DirectTxnBatches(batches, cbor, errors));
        registration.addUrlPatterns("/internal/txn/batch");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }

    /** Runs the messages of a batch that may block for long (aborts, prepares of held keys) beside the rest. */
    @Bean(destroyMethod = "close")
    ExecutorService batchExecutor() {
        return Executors.newVirtualThreadPerTaskExecutor();
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
                        WriteAheadLog writeAheadLog, DiskSpace diskSpace) {
        registrar = new Registrar(new HttpCoordinatorClient(coordinatorEndpoints, peerRestClient), ringStore::current,
                () -> heartbeat(writeAheadLog, diskSpace));
        writeAheadLog.addListener(new WalListener() {
            @Override
            public void failed(IOException error) {
                registrar.tellNow();
            }
        });
        return registrar;
    }

    /** Reopens a failed log once the disk has room, and tells the coordinator at once. */
    @Bean
    LogRepair logRepair(WriteAheadLog writeAheadLog, Replica replica, DiskSpace diskSpace, Registrar registrar,
                        Clock clock) {
        return new LogRepair(writeAheadLog, replica, diskSpace::roomForNewData, registrar::tellNow, clock);
    }

    private static NodeHeartbeat heartbeat(WriteAheadLog writeAheadLog, DiskSpace disk) {
        boolean full = disk.level() == DiskSpace.Level.FULL;
        return writeAheadLog.failure()
                .map(e -> new NodeHeartbeat(false, "its write-ahead log failed: " + e, full))
                .orElseGet(() -> new NodeHeartbeat(true, null, full));
    }

    /** Registers the URL of the port the server actually got (server.port=0 picks a free one). */
    @EventListener
    public void onServerStarted(WebServerInitializedEvent event) {
        String url = node.advertisedUrl() != null
                ? node.advertisedUrl().toString().replaceAll("/+$", "")
                : (serverTls ? "https" : "http") + "://127.0.0.1:" + event.getWebServer().getPort();
        registrar.announce(new NodeRegistration(replica.nodeId(), url, instanceToken()));
        log.info("nodeId={} serving at {}; registering with {}", replica.nodeId(), url, coordinator.urls());
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
