package dev.kvstore.web.security;

import dev.kvstore.auth.ClusterKey;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.ssl.SslBundles;

/**
 * Trust between the coordinator and the nodes. Binding fails, and the app does not start, without a
 * usable secret unless {@code insecureDev} is set.
 *
 * @param secret       the cluster secret every coordinator and node shares (in Kubernetes, from the
 *                     Secret as {@code KV_CLUSTER_SECRET}); it authenticates registration, heartbeats and
 *                     {@code /internal} calls. At least 16 bytes; surrounding whitespace is ignored
 * @param insecureDev  run without a secret, for a local development cluster only; ignored when a secret
 *                     is set
 * @param maxClockSkew how far a request's signature time may be from the receiver's clock, either way; a
 *                     captured request can be replayed only this long
 * @param sslBundle    the SSL bundle ({@code spring.ssl.bundle.*}) whose trust material this app uses for
 *                     its calls to other cluster members over https (its key material too, if it has one,
 *                     for servers that ask for a client certificate); unset: the JDK's default trust store
 */
@ConfigurationProperties("kv.cluster")
public record ClusterSecurityProperties(String secret, @DefaultValue("false") boolean insecureDev,
                                        @DefaultValue("30s") Duration maxClockSkew, String sslBundle) {

    /** How every secret published with the project begins (the {@code k8s/} placeholder among them). */
    private static final String PLACEHOLDER_MARK = "CHANGE-ME";

    public ClusterSecurityProperties {
        if (secret == null || secret.isBlank()) {
            if (!insecureDev) {
                throw new IllegalArgumentException("kv.cluster.secret is not set. Every coordinator and node needs the "
                        + "same cluster secret, at least " + ClusterKey.MIN_SECRET_BYTES + " bytes (in Kubernetes from "
                        + "the Secret as KV_CLUSTER_SECRET; locally e.g. export KV_CLUSTER_SECRET=$(openssl rand "
                        + "-base64 32)). Only for a development cluster on one machine, kv.cluster.insecure-dev=true "
                        + "runs without authentication.");
            }
        } else {
            try {
                ClusterKey.requireValid(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kv.cluster.secret is unusable: " + e.getMessage());
            }
            if (isPlaceholder(secret)) {
                throw new IllegalArgumentException("kv.cluster.secret is the placeholder shipped in k8s/ ("
                        + secret.strip() + "); anyone who read the repository knows it. Replace it with a random "
                        + "secret, e.g. openssl rand -base64 32");
            }
        }
        if (maxClockSkew.isNegative() || maxClockSkew.toSeconds() < 1) {
            throw new IllegalArgumentException("kv.cluster.max-clock-skew must be at least 1s, not " + maxClockSkew);
        }
    }

    /**
     * The TLS context for calls to other cluster members: from {@link #sslBundle()}, or empty for the JDK's
     * default. Either way the server's certificate must match the host name (or IP) in the URL called.
     */
    public Optional<SSLContext> clientSslContext(SslBundles bundles) {
        return sslBundle == null || sslBundle.isBlank() ? Optional.empty()
                : Optional.of(bundles.getBundle(sslBundle).createSslContext());
    }

    /**
     * Whether {@code secret} is a value published with the project: the {@code k8s/} placeholder, or any
     * value marked {@code CHANGE-ME}. A deployment that forgot to replace it must not start, because its
     * cluster traffic would be signed with a key everyone has.
     */
    static boolean isPlaceholder(String secret) {
        return secret.strip().regionMatches(true, 0, PLACEHOLDER_MARK, 0, PLACEHOLDER_MARK.length());
    }

    /** Whether cluster traffic is signed and checked: whenever a secret is set. */
    public boolean authenticated() {
        return secret != null && !secret.isBlank();
    }

    @Override
    public String toString() {
        return "ClusterSecurityProperties[secret=" + (authenticated() ? "(hidden)" : "(none)") + ", insecureDev="
                + insecureDev + ", maxClockSkew=" + maxClockSkew + ", sslBundle=" + sslBundle + "]";
    }
}
