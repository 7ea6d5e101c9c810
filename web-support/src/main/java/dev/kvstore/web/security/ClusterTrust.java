package dev.kvstore.web.security;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.LogThrottle;
import dev.kvstore.auth.ReplayGuard;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.auth.RequestVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * The cluster secret as each app uses it: the key derived from it (none under
 * {@code kv.cluster.insecure-dev}, said once at WARN), the signing of the app's own cluster calls, and
 * the filter that checks the cluster calls it receives. What differs between the apps (which paths,
 * which of them are accepted once, the body limit) is passed in.
 */
public final class ClusterTrust {

    private static final Logger log = LoggerFactory.getLogger(ClusterTrust.class);

    private final ClusterSecurityProperties properties;
    private final ClusterKey key;

    /**
     * @param exposure who can do what if cluster traffic is not authenticated, for the warning: "anyone
     *                 who reaches " + exposure (e.g. "this node can read and change its data")
     */
    public ClusterTrust(ClusterSecurityProperties properties, String exposure) {
        this.properties = properties;
        this.key = properties.authenticated() ? ClusterKey.fromSecret(properties.secret()) : null;
        if (key == null) {
            log.warn("cluster traffic is NOT authenticated (kv.cluster.insecure-dev=true): anyone who reaches {}; "
                    + "set kv.cluster.secret (KV_CLUSTER_SECRET) outside development", exposure);
        } else if (properties.insecureDev()) {
            log.warn("kv.cluster.insecure-dev=true is ignored: kv.cluster.secret is set, so cluster traffic is authenticated");
        }
    }

    /** The app's one signer of its cluster calls: with the cluster key, or signing nothing when traffic is not authenticated. */
    public SigningInterceptor signer(Clock clock) {
        return new SigningInterceptor(key == null ? null : new RequestSigner(key, clock));
    }

    /** Signs every request of a RestClient built with it, by {@code signer}; changes nothing when traffic is not authenticated. */
    public RestClientCustomizer signing(SigningInterceptor signer) {
        if (key == null) {
            return builder -> {
            };
        }
        return builder -> builder.requestInterceptor(signer);
    }

    /**
     * The filter guarding {@code urlPatterns}, early in the chain, disabled when traffic is not
     * authenticated. Refusals are logged at most 10 times a minute and counted as
     * {@code kv.cluster.auth.refused{reason}} when {@code meters} is given.
     *
     * @param exempt   requests under the patterns that need no signature
     * @param onceOnly requests a replay could still change something with later, accepted once per nonce
     */
    public FilterRegistrationBean<ClusterAuthFilter> filter(Clock clock, Predicate<HttpServletRequest> exempt,
                                                            Predicate<HttpServletRequest> onceOnly, long maxBodyBytes,
                                                            MeterRegistry meters, String logPrefix,
                                                            String... urlPatterns) {
        Duration skew = properties.maxClockSkew();
        ClusterAuthFilter filter = new ClusterAuthFilter(
                key == null ? null : new RequestVerifier(key, clock, skew),
                new ReplayGuard(clock, skew),
                exempt,
                onceOnly,
                maxBodyBytes,
                new LogThrottle(clock, 10, Duration.ofMinutes(1)),
                reason -> {
                    if (meters != null) {
                        Counter.builder("kv.cluster.auth.refused").tag("reason", reason.name())
                                .description("cluster requests refused for a missing or invalid signature")
                                .register(meters).increment();
                    }
                },
                logPrefix);
        FilterRegistrationBean<ClusterAuthFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(urlPatterns);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(key != null);
        return registration;
    }
}
