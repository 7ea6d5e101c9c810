package dev.kvstore.coordinator.security;

import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.ClusterAuthFilter;
import dev.kvstore.web.security.SigningInterceptor;
import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.LogThrottle;
import dev.kvstore.auth.ReplayGuard;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.auth.RequestVerifier;
import dev.kvstore.coordinator.kv.KvApiProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;

/**
 * Signs every call the coordinator makes to nodes (2PC, reads, range moves, ring pushes, node info) and
 * refuses unsigned node registrations, heartbeats and {@code /internal} calls, unless the cluster runs
 * without a secret ({@code kv.cluster.insecure-dev}). The client API, {@code GET /nodes},
 * {@code DELETE /nodes/{id}}, Actuator and the API docs stay open.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterSecurityProperties.class)
public class ClusterSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecurityConfiguration.class);
    private static final Pattern NODE = Pattern.compile("/nodes/[^/]+");

    private final ClusterSecurityProperties properties;
    private final ClusterKey key;

    public ClusterSecurityConfiguration(ClusterSecurityProperties properties) {
        this.properties = properties;
        this.key = properties.authenticated() ? ClusterKey.fromSecret(properties.secret()) : null;
        if (key == null) {
            log.warn("cluster traffic is NOT authenticated (kv.cluster.insecure-dev=true): anyone who reaches this "
                    + "coordinator can register nodes and call /internal; set kv.cluster.secret (KV_CLUSTER_SECRET) "
                    + "outside development");
        } else if (properties.insecureDev()) {
            log.warn("kv.cluster.insecure-dev=true is ignored: kv.cluster.secret is set, so cluster traffic is authenticated");
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
     * {@code /internal/**} (decision lookups, read-only), {@code POST /nodes} and
     * {@code PUT /nodes/{id}/heartbeat}; under {@code /nodes} reads and removal stay open. A replayed
     * registration or heartbeat could bring back a removed or dead node, so each of those signatures is
     * accepted once.
     */
    @Bean
    FilterRegistrationBean<ClusterAuthFilter> clusterAuthFilter(Clock clock, KvApiProperties api,
                                                                ObjectProvider<MeterRegistry> meters) {
        Duration skew = properties.maxClockSkew();
        MeterRegistry registry = meters.getIfAvailable();
        ClusterAuthFilter filter = new ClusterAuthFilter(
                key == null ? null : new RequestVerifier(key, clock, skew),
                new ReplayGuard(clock, skew),
                ClusterSecurityConfiguration::isOperatorCall,
                request -> !isRead(request),
                api.maxValueSize().toBytes(),
                new LogThrottle(clock, 10, Duration.ofMinutes(1)),
                reason -> {
                    if (registry != null) {
                        Counter.builder("kv.cluster.auth.refused").tag("reason", reason.name())
                                .description("cluster requests refused for a missing or invalid signature")
                                .register(registry).increment();
                    }
                },
                "");
        FilterRegistrationBean<ClusterAuthFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/internal/*", "/nodes/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(key != null);
        return registration;
    }

    /** The operator's side of /nodes: listing, placement and graceful removal (the servlet path is normalised). */
    static boolean isOperatorCall(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.equals("/nodes") && !path.startsWith("/nodes/")) {
            return false;
        }
        return isRead(request) || (HttpMethod.DELETE.matches(request.getMethod()) && NODE.matcher(path).matches());
    }

    private static boolean isRead(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
    }
}
