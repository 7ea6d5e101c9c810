package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.GroupHealthIndicator;
import dev.kvstore.coordinator.group.GroupMetrics;
import dev.kvstore.coordinator.group.GroupServer;
import dev.kvstore.coordinator.group.LeaderOnlyHealth;
import dev.kvstore.coordinator.kv.KvRequestMetrics;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MembershipMetrics;
import dev.kvstore.coordinator.membership.MembershipProperties;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.membership.NodesHealthIndicator;
import dev.kvstore.coordinator.migration.MigrationMetrics;
import dev.kvstore.coordinator.migration.Rebalancer;
import dev.kvstore.coordinator.migration.RingHealthIndicator;
import dev.kvstore.coordinator.migration.RingInfoContributor;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.txn.TxnMetrics;
import dev.kvstore.coordinator.txn.TxnRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.time.Clock;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Wires the coordinator's {@code nodes} health indicator (the bean name without "HealthIndicator" is
 * the component's name), meters and info contributor to the core objects they read. The adapters
 * live in the feature package they observe; the {@code ring} indicator is a component of its own.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    @Bean
    HealthIndicator nodesHealthIndicator(Membership membership, NodeDirectory directory, Clock clock, GroupServer group) {
        return new LeaderOnlyHealth(new NodesHealthIndicator(membership, directory, clock), group);
    }

    /** The {@code ring} component: the data's health, judged by the leader. */
    @Bean("ring")
    HealthIndicator ringHealthIndicator(Membership membership, NodeDirectory directory, Rebalancer rebalancer,
                                        GroupServer group) {
        return new LeaderOnlyHealth(new RingHealthIndicator(membership, directory, rebalancer), group);
    }

    /** The {@code coordinators} component: the group's. */
    @Bean("coordinators")
    HealthIndicator coordinatorsHealthIndicator(GroupServer group) {
        return new GroupHealthIndicator(group);
    }

    @Bean
    GroupMetrics groupMetrics(GroupServer group) {
        return new GroupMetrics(group);
    }

    /** Handed to the two-phase commit driver as its observer. */
    @Bean
    TxnMetrics txnMetrics(MeterRegistry meters, TxnRegistry registry) {
        return new TxnMetrics(meters, registry);
    }

    /** Only the client API is timed as kv.requests; everything else is in http.server.requests. */
    @Bean
    FilterRegistrationBean<KvRequestMetrics> kvRequestMetrics(MeterRegistry meters) {
        FilterRegistrationBean<KvRequestMetrics> registration = new FilterRegistrationBean<>(new KvRequestMetrics(meters));
        registration.addUrlPatterns("/kv/*");
        // After the security filters, before the cache's fast path (CoordinatorConfiguration), which it times too.
        registration.setOrder(KvRequestMetrics.ORDER);
        return registration;
    }

    /**
     * The hot path is timed once, by kv.requests and the kv.txn phase timers: Spring's own observation of
     * each /kv request would time it again at a cost per request. The calls to nodes on the client's behalf
     * (the batches) do not go through a RestClient, so nothing observes them twice. Every other endpoint
     * and call keeps its observation.
     */
    @Bean
    ObservationPredicate hotPathsObservedOnce() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server)
                || !server.getCarrier().getRequestURI().startsWith("/kv/");
    }

    @Bean
    MembershipMetrics membershipMetrics(Membership membership, NodeDirectory directory) {
        return new MembershipMetrics(membership, directory);
    }

    @Bean
    MigrationMetrics migrationMetrics(Rebalancer rebalancer, RingHolder ring) {
        return new MigrationMetrics(rebalancer, ring);
    }

    @Bean
    RingInfoContributor ringInfoContributor(RingHolder ring, Rebalancer rebalancer, MembershipProperties properties) {
        return new RingInfoContributor(ring, rebalancer, properties.virtualNodes());
    }
}
