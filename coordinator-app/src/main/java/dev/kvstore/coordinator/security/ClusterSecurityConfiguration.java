package dev.kvstore.coordinator.security;

import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.web.security.ClusterAuthFilter;
import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.ClusterTrust;
import dev.kvstore.web.security.SigningInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Signs every call the coordinator makes to nodes (2PC, reads, range moves, ring pushes, node info) and
 * refuses unsigned node registrations, heartbeats and {@code /internal} calls, unless the cluster runs
 * without a secret ({@code kv.cluster.insecure-dev}). The client API, {@code GET /nodes},
 * {@code DELETE /nodes/{id}}, {@code POST /nodes/{id}/transactions/{txId}}, Actuator and the API docs stay open.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterSecurityProperties.class)
public class ClusterSecurityConfiguration {

    private static final Pattern NODE = Pattern.compile("/nodes/[^/]+");
    private static final Pattern SETTLEMENT = Pattern.compile("/nodes/[^/]+/transactions/[^/]+");

    private final ClusterTrust trust;

    public ClusterSecurityConfiguration(ClusterSecurityProperties properties) {
        this.trust = new ClusterTrust(properties, "this coordinator can register nodes and call /internal");
    }

    /** The one signer of the coordinator's calls to nodes: on every RestClient, and for the batches it sends itself. */
    @Bean
    SigningInterceptor clusterRequestSigner(Clock clock) {
        return trust.signer(clock);
    }

    @Bean
    RestClientCustomizer clusterRequestSigning(SigningInterceptor clusterRequestSigner) {
        return trust.signing(clusterRequestSigner);
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
        return trust.filter(clock, ClusterSecurityConfiguration::isOperatorCall, request -> !isRead(request),
                api.maxValueSize().toBytes(), meters.getIfAvailable(), "", "/internal/*", "/nodes/*");
    }

    /**
     * The operator's side of /nodes: listing, placement, graceful removal and settling a transaction in doubt
     * (the servlet path is normalised).
     */
    static boolean isOperatorCall(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.equals("/nodes") && !path.startsWith("/nodes/")) {
            return false;
        }
        return isRead(request) || (HttpMethod.DELETE.matches(request.getMethod()) && NODE.matcher(path).matches())
                || (HttpMethod.POST.matches(request.getMethod()) && SETTLEMENT.matcher(path).matches());
    }

    private static boolean isRead(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
    }
}
