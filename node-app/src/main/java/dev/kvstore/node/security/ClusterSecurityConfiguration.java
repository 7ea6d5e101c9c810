package dev.kvstore.node.security;

import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.ClusterAuthFilter;
import dev.kvstore.web.security.SigningInterceptor;
import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.LogThrottle;
import dev.kvstore.auth.ReplayGuard;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.auth.RequestVerifier;
import dev.kvstore.node.config.ParticipantProperties;
import dev.kvstore.node.config.WalProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Signs every call this node makes (registration, heartbeats, decision lookups, peer inquiries, range
 * pulls) and refuses unsigned calls to its {@code /internal} API, unless the cluster runs without a
 * secret ({@code kv.cluster.insecure-dev}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterSecurityProperties.class)
public class ClusterSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecurityConfiguration.class);

    private final ClusterSecurityProperties properties;
    private final ClusterKey key;

    public ClusterSecurityConfiguration(ClusterSecurityProperties properties, ParticipantProperties participant) {
        this.properties = properties;
        this.key = properties.authenticated() ? ClusterKey.fromSecret(properties.secret()) : null;
        if (key == null) {
            log.warn("cluster traffic is NOT authenticated (kv.cluster.insecure-dev=true): anyone who reaches this "
                    + "node can read and change its data; set kv.cluster.secret (KV_CLUSTER_SECRET) outside development");
        } else if (properties.insecureDev()) {
            log.warn("kv.cluster.insecure-dev=true is ignored: kv.cluster.secret is set, so cluster traffic is authenticated");
        }
        // A prepare or commit replayed within the skew window must find its transaction's outcome still known.
        if (participant.outcomeRetention().compareTo(properties.maxClockSkew().multipliedBy(2)) < 0) {
            throw new IllegalStateException("kv.participant.outcome-retention (" + participant.outcomeRetention()
                    + ") must be at least twice kv.cluster.max-clock-skew (" + properties.maxClockSkew() + ")");
        }
    }

    @Bean
    RestClientCustomizer clusterRequestSigning(Clock clock) {
        if (key == null) {
            return builder -> {
            };
        }
        SigningInterceptor signing = new SigningInterceptor(new RequestSigner(key, clock));
        return builder -> builder.requestInterceptor(signing);
    }

    /**
     * Everything under {@code /internal}. Transactions ({@code /internal/txn/**}) and reads are idempotent,
     * and a ring push is epoch-checked, so the skew window bounds their replays; range copies, moves and
     * drops could undo a later migration step if replayed, so each signature is accepted once.
     */
    @Bean
    FilterRegistrationBean<ClusterAuthFilter> clusterAuthFilter(Clock clock, WalProperties wal, String nodeId,
                                                                ObjectProvider<MeterRegistry> meters) {
        Duration skew = properties.maxClockSkew();
        MeterRegistry registry = meters.getIfAvailable();
        ClusterAuthFilter filter = new ClusterAuthFilter(
                key == null ? null : new RequestVerifier(key, clock, skew),
                new ReplayGuard(clock, skew),
                request -> false,
                request -> request.getRequestURI().startsWith("/internal/ranges/"),
                wal.maxRecordSize().toBytes(),
                new LogThrottle(clock, 10, Duration.ofMinutes(1)),
                reason -> {
                    if (registry != null) {
                        Counter.builder("kv.cluster.auth.refused").tag("reason", reason.name())
                                .description("cluster requests refused for a missing or invalid signature")
                                .register(registry).increment();
                    }
                },
                "nodeId=" + nodeId + " ");
        FilterRegistrationBean<ClusterAuthFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/internal/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(key != null);
        return registration;
    }
}
