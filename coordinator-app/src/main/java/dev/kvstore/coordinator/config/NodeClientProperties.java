package dev.kvstore.coordinator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls from the coordinator to nodes.
 *
 * @param connectTimeout  to open a connection
 * @param readTimeout     to wait for an answer
 * @param commitPatience  how long a commit is retried within the client's request before the write
 *                        is answered as unconfirmed
 * @param retryInterval   how often unacknowledged decisions are sent again
 */
@ConfigurationProperties("kv.nodes")
public record NodeClientProperties(@DefaultValue("500ms") Duration connectTimeout,
                                   @DefaultValue("2s") Duration readTimeout,
                                   @DefaultValue("1s") Duration commitPatience,
                                   @DefaultValue("1s") Duration retryInterval) {
}
