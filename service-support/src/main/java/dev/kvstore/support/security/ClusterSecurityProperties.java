package dev.kvstore.support.security;

import dev.kvstore.auth.ClusterKey;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 */
@ConfigurationProperties("kv.cluster")
public record ClusterSecurityProperties(String secret, @DefaultValue("false") boolean insecureDev,
                                        @DefaultValue("30s") Duration maxClockSkew) {

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
        }
        if (maxClockSkew.isNegative() || maxClockSkew.toSeconds() < 1) {
            throw new IllegalArgumentException("kv.cluster.max-clock-skew must be at least 1s, not " + maxClockSkew);
        }
    }

    /** Whether cluster traffic is signed and checked: whenever a secret is set. */
    public boolean authenticated() {
        return secret != null && !secret.isBlank();
    }

    @Override
    public String toString() {
        return "ClusterSecurityProperties[secret=" + (authenticated() ? "(hidden)" : "(none)") + ", insecureDev="
                + insecureDev + ", maxClockSkew=" + maxClockSkew + "]";
    }
}
