package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.coordinator.group.GroupServer;
import dev.kvstore.coordinator.group.Knock;
import dev.kvstore.coordinator.kv.CachedReads;
import dev.kvstore.coordinator.kv.CachedValue;
import dev.kvstore.coordinator.kv.DirectWrites;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.kv.KvRequestMetrics;
import dev.kvstore.coordinator.kv.KvService;
import dev.kvstore.coordinator.membership.DeadNodeWatch;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MembershipProperties;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.membership.NodeProbe;
import dev.kvstore.coordinator.migration.Formation;
import dev.kvstore.coordinator.migration.HttpMigrationTransport;
import dev.kvstore.coordinator.migration.Rebalancer;
import dev.kvstore.coordinator.nodeclient.BatchingNodeClient;
import dev.kvstore.coordinator.nodeclient.HttpNodeTransport;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.coordinator.txn.InDoubtSettlement;
import dev.kvstore.coordinator.txn.TwoPhaseCommit;
import dev.kvstore.coordinator.txn.TxnObserver;
import dev.kvstore.coordinator.txn.TxnRegistry;
import dev.kvstore.coordinator.txn.VersionClock;
import dev.kvstore.model.NodeInfo;
import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.SigningInterceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/** Wires the pure core (membership, ring, 2PC, cache) to HTTP, time and threads. */
@Configuration(proxyBeanMethods = false)
public class CoordinatorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    ExecutorService nodeCallExecutor() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /** Its changes go through the coordinator group's log before they take effect. */
    @Bean
    Membership membership(Clock clock, MembershipProperties properties, GroupServer group) {
        return new Membership(clock, properties.heartbeatTimeout(), group);
    }

    /** What every call to a node carries and reports (term, node id, signature, later terms, refusals). */
    @Bean
    NodeCallStamping nodeCallStamping(GroupServer group, DeadNodeWatch deadNodes, Membership membership,
                                      SigningInterceptor clusterRequestSigner) {
        return new NodeCallStamping(group.leadership(), group::nodeSawTerm, url -> membership.memberAt(url).map(Member::id),
                deadNodes::refused, clusterRequestSigner);
    }

    /**
     * A RestClient to nodes over {@code client}, which holds the timeouts: the stamping first, so that the
     * signing interceptor signs the stamped URL.
     */
    private static RestClient toNodes(RestClient.Builder builder, NodeCallStamping stamping, CloseableHttpClient client) {
        return builder.clone().requestInterceptors(list -> list.addFirst(stamping))
                .requestFactory(new HttpComponentsClientHttpRequestFactory(client)).build();
    }

    /** A node whose connection is refused twice is DOWN at once: its process is gone. */
    @Bean
    DeadNodeWatch deadNodeWatch(Membership membership, ExecutorService nodeCallExecutor) {
        return new DeadNodeWatch(membership, Knock.tcp(Duration.ofMillis(200)), nodeCallExecutor);
    }

    @Bean
    RingHolder ringHolder() {
        return new RingHolder();
    }

    @Bean
    WriteGate writeGate() {
        return new WriteGate();
    }

    /**
     * Copies stream whole ranges, so migration calls get a read timeout of minutes, not seconds; the ring
     * announcement keeps the short one.
     */
    @Bean
    Rebalancer rebalancer(Membership membership, RingHolder ring, WriteGate gate, RestClient.Builder builder,
                          NodeClientProperties nodes, MembershipProperties properties, Clock clock,
                          ClusterSecurityProperties cluster, SslBundles bundles, GroupServer group,
                          NodeCallStamping stamping, CloseableHttpClient nodeHttpClient) {
        CloseableHttpClient slow = NodeHttpClients.client(nodes.connectTimeout(), properties.migrationTimeout(),
                cluster.clientSslContext(bundles).orElse(null));
        RestClient http = toNodes(builder, stamping, slow);
        RestClient quick = toNodes(builder, stamping, nodeHttpClient);
        return new Rebalancer(membership, ring, new HttpMigrationTransport(http, quick), gate,
                properties.virtualNodes(), clock, properties.formationWindow(), properties.restartWait(), group);
    }

    /** The pooled connections to nodes, shared by the batches and the coordinator's other calls to nodes. */
    @Bean
    CloseableHttpClient nodeHttpClient(NodeClientProperties properties, ClusterSecurityProperties cluster,
                                       SslBundles bundles) {
        return NodeHttpClients.client(properties.connectTimeout(), properties.readTimeout(),
                cluster.clientSslContext(bundles).orElse(null));
    }

    @Bean
    RestClient nodeRestClient(RestClient.Builder builder, CloseableHttpClient nodeHttpClient, NodeCallStamping stamping) {
        return toNodes(builder, stamping, nodeHttpClient);
    }

    @Bean
    HttpNodeTransport nodeTransport(CloseableHttpClient nodeHttpClient, NodeCallStamping stamping, CBORMapper cbor,
                                    JsonMapper json) {
        return new HttpNodeTransport(nodeHttpClient, stamping, cbor, json);
    }

    /** Prepares, decisions and reads travel in per-node batches. */
    @Bean
    NodeClient participantClient(HttpNodeTransport nodeTransport, ExecutorService nodeCallExecutor,
                                 NodeClientProperties properties) {
        NodeClientProperties.Batch batch = properties.batch();
        return new BatchingNodeClient(nodeTransport, nodeCallExecutor, batch.maxInFlight(), batch.maxMessages(),
                batch.maxSize().toBytes(), batch.commitLinger());
    }

    @Bean
    TxnRegistry txnRegistry(Clock clock) {
        return new TxnRegistry(clock);
    }

    /** One clock for client writes and operators' settlements, so neither reissues the other's versions. */
    @Bean
    VersionClock versionClock(Clock clock) {
        return new VersionClock(clock);
    }

    @Bean
    TwoPhaseCommit twoPhaseCommit(NodeClient participants, TxnRegistry registry, VersionClock versionClock,
                                  ExecutorService nodeCallExecutor, NodeClientProperties properties,
                                  ObjectProvider<TxnObserver> observer) {
        return new TwoPhaseCommit(participants, registry, versionClock, nodeCallExecutor,
                observer.getIfAvailable(() -> TxnObserver.NONE));
    }

    @Bean
    SetAssociativeCache<String, CachedValue> cache(CacheProperties properties) {
        return new SetAssociativeCache<>(properties.sets(), properties.ways());
    }

    /** kv.cache.hits / misses / evictions (counters) and kv.cache.size (gauge), for /actuator/metrics. */
    @Bean
    MeterBinder cacheMetrics(SetAssociativeCache<String, CachedValue> cache) {
        return registry -> {
            FunctionCounter.builder("kv.cache.hits", cache, c -> c.stats().hits())
                    .description("reads answered from the cache").register(registry);
            FunctionCounter.builder("kv.cache.misses", cache, c -> c.stats().misses())
                    .description("reads that had to ask a node").register(registry);
            FunctionCounter.builder("kv.cache.evictions", cache, c -> c.stats().evictions())
                    .description("entries pushed out by second-chance replacement").register(registry);
            Gauge.builder("kv.cache.size", cache, c -> c.stats().size())
                    .description("entries held").register(registry);
        };
    }

    /** Cache hits answered before Spring MVC; after the security filters and the request timer. */
    @Bean
    FilterRegistrationBean<CachedReads> cachedReads(SetAssociativeCache<String, CachedValue> cache) {
        FilterRegistrationBean<CachedReads> registration = new FilterRegistrationBean<>(new CachedReads(cache));
        registration.addUrlPatterns("/kv/*");
        registration.setOrder(KvRequestMetrics.ORDER + 50);
        return registration;
    }

    /** Well-formed PUTs answered before Spring MVC; after the security filters, the request timer and cache hits. */
    @Bean
    FilterRegistrationBean<DirectWrites> directWrites(KvService kv, KvApiProperties properties,
                                                      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        FilterRegistrationBean<DirectWrites> registration = new FilterRegistrationBean<>(
                new DirectWrites(kv, properties.maxValueSize().toBytes(), errors));
        registration.addUrlPatterns("/kv/*");
        registration.setOrder(KvRequestMetrics.ORDER + 60);
        return registration;
    }

    @Bean
    KvService kvService(Membership membership, RingHolder ring, WriteGate gate, TwoPhaseCommit txn,
                        NodeClient participants, SetAssociativeCache<String, CachedValue> cache,
                        KvApiProperties properties, Rebalancer rebalancer) {
        return new KvService(membership, ring, gate, txn, participants, cache, properties.lockTimeout(),
                () -> rebalancer.formation().map(Formation::describe).orElse("formed"));
    }

    @Bean
    InDoubtSettlement inDoubtSettlement(Membership membership, TxnRegistry registry, VersionClock versionClock,
                                        NodeClient participants, HttpNodeTransport nodeTransport, KvService kv) {
        return new InDoubtSettlement(membership, registry, versionClock, participants, nodeTransport::inDoubt,
                kv::changeOutsideWrites);
    }

    @Bean
    NodeDirectory nodeDirectory(Membership membership, RingHolder ring, RestClient nodeRestClient,
                                ExecutorService nodeCallExecutor) {
        return new NodeDirectory(membership, ring, url -> {
            try {
                return Optional.ofNullable(nodeRestClient.get().uri(url + "/internal/node").retrieve().body(NodeInfo.class));
            } catch (RestClientException e) {
                return Optional.empty();
            }
        }, nodeCallExecutor);
    }

    /** The reaper's direct question to nodes it would mark DOWN together: all asked at once, 1 s to answer. */
    @Bean
    NodeProbe nodeProbe(RestClient nodeRestClient, ExecutorService nodeCallExecutor) {
        return members -> {
            Map<String, Future<?>> asked = new HashMap<>();
            for (Member member : members) {
                if (member.url() != null) {
                    asked.put(member.id(), nodeCallExecutor.submit(() ->
                            nodeRestClient.get().uri(member.url() + "/internal/node").retrieve().toBodilessEntity()));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            Set<String> answering = new HashSet<>();
            asked.forEach((id, answer) -> {
                try {
                    answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    answering.add(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    answer.cancel(true);
                }
            });
            return answering;
        };
    }
}
