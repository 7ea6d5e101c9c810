package dev.kvstore.node.security;

import dev.kvstore.node.config.ParticipantProperties;
import dev.kvstore.node.config.WalProperties;
import dev.kvstore.web.security.ClusterAuthFilter;
import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.ClusterTrust;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Signs every call this node makes (registration, heartbeats, decision lookups, peer inquiries, range
 * pulls) and refuses unsigned calls to its {@code /internal} API, unless the cluster runs without a
 * secret ({@code kv.cluster.insecure-dev}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterSecurityProperties.class)
public class ClusterSecurityConfiguration {

    private final ClusterTrust trust;

    public ClusterSecurityConfiguration(ClusterSecurityProperties properties, ParticipantProperties participant) {
        this.trust = new ClusterTrust(properties, "this node can read and change its data");
        // A prepare or commit replayed within the skew window must find its transaction's outcome still known.
        if (participant.outcomeRetention().compareTo(properties.maxClockSkew().multipliedBy(2)) < 0) {
            throw new IllegalStateException("kv.participant.outcome-retention (" + participant.outcomeRetention()
                    + ") must be at least twice kv.cluster.max-clock-skew (" + properties.maxClockSkew() + ")");
        }
    }

    @Bean
    RestClientCustomizer clusterRequestSigning(Clock clock) {
        return trust.signing(trust.signer(clock));
    }

    /**
     * Everything under {@code /internal}. Transactions ({@code /internal/txn/**}) and reads are idempotent,
     * and a ring push is epoch-checked, so the skew window bounds their replays; range copies, moves and
     * drops could undo a later migration step if replayed, so each signature is accepted once.
     */
    @Bean
    FilterRegistrationBean<ClusterAuthFilter> clusterAuthFilter(Clock clock, WalProperties wal, String nodeId,
                                                                ObjectProvider<MeterRegistry> meters) {
        return trust.filter(clock, request -> false, request -> request.getRequestURI().startsWith("/internal/ranges/"),
                wal.maxRecordSize().toBytes(), meters.getIfAvailable(), "nodeId=" + nodeId + " ", "/internal/*");
    }
}
