package dev.kvstore.coordinator.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Trust between the coordinator and the nodes.
 *
 * @param secret      the cluster secret every coordinator and node shares (in Kubernetes, from the
 *                    Secret as {@code KV_CLUSTER_SECRET}); it authenticates registration, heartbeats and
 *                    {@code /internal} calls
 * @param insecureDev run without a secret, for a local development cluster only
 */
@ConfigurationProperties("kv.cluster")
public record ClusterSecurityProperties(String secret, @DefaultValue("false") boolean insecureDev) {
}
