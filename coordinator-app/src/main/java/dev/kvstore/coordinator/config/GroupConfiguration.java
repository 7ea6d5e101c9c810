package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.coordinator.group.GroupProperties;
import dev.kvstore.coordinator.group.GroupServer;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.coordinator.kv.CachedValue;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.migration.Rebalancer;
import dev.kvstore.coordinator.web.LeaderRouting;
import dev.kvstore.web.security.ClusterSecurityProperties;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Wires the coordinator group: its Raft member, the leader's duties on taking over and stepping down,
 * and the routing of every API request to the leader.
 */
@Configuration(proxyBeanMethods = false)
public class GroupConfiguration {

    /**
     * Raft between coordinators runs over mutual TLS whenever the cluster's SSL bundle
     * ({@code kv.cluster.ssl-bundle}) has a key: each coordinator presents it and trusts the bundle's CA.
     */
    @Bean(destroyMethod = "close")
    GroupServer groupServer(GroupProperties properties, ClusterSecurityProperties cluster, SslBundles bundles) {
        GroupServer.Tls tls = null;
        if (cluster.sslBundle() != null && !cluster.sslBundle().isBlank()) {
            SslBundle bundle = bundles.getBundle(cluster.sslBundle());
            KeyManagerFactory keys = bundle.getManagers().getKeyManagerFactory();
            if (keys != null && keys.getKeyManagers().length > 0) {
                tls = new GroupServer.Tls(keys.getKeyManagers()[0],
                        bundle.getManagers().getTrustManagerFactory().getTrustManagers()[0]);
            }
        }
        return new GroupServer(properties, tls);
    }

    @Bean
    Leadership leadership(GroupServer group) {
        return group.leadership();
    }

    /**
     * Starts the group before the web server. Stopping leaves it running (a test context paused and
     * restarted keeps its member); it closes when the context does, after the web server has finished
     * its requests, so a leader shutting down steps down last.
     */
    @Bean
    SmartLifecycle groupLifecycle(GroupServer group, Membership membership, Rebalancer rebalancer,
                                  SetAssociativeCache<String, CachedValue> cache) {
        GroupServer.Duties duties = new GroupServer.Duties() {
            @Override
            public void takeOver(long term, GroupState.Snapshot state) {
                cache.clear();
                membership.restore(state);
                rebalancer.takeOver(state);
            }

            @Override
            public void stepDown() {
                cache.clear();
            }
        };
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                if (!group.started()) {
                    group.start(duties);
                }
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 4096;
            }
        };
    }

    /** First of all filters: a follower forwards before it spends anything on the request. */
    @Bean
    FilterRegistrationBean<LeaderRouting> leaderRouting(GroupServer group, GroupProperties properties,
                                                         KvApiProperties api, ClusterSecurityProperties cluster,
                                                         SslBundles bundles) {
        // The pooled blocking client the nodes are called with: the JDK's costs about a millisecond a request
        // in hand-offs between its selector thread and the caller (docs/benchmarks.md).
        CloseableHttpClient http = NodeHttpClients.client(Duration.ofSeconds(1), properties.forwardTimeout(),
                cluster.clientSslContext(bundles).orElse(null));
        FilterRegistrationBean<LeaderRouting> registration = new FilterRegistrationBean<>(new LeaderRouting(
                group.leadership(), group::leaderId, http, properties.forwardTimeout(), group.id(), api.retryAfter()));
        registration.addUrlPatterns("/kv", "/kv/*", "/nodes", "/nodes/*", "/internal/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
