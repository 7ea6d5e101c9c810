package dev.kvstore.node.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param urls              the coordinators' base URLs (comma-separated in one environment variable or
 *                          argument); the node talks to whichever answers, starting with the first
 * @param heartbeatInterval how often the node sends a heartbeat (and retries registering)
 * @param connectTimeout    for every call this node makes to the coordinator or to peers
 * @param readTimeout       likewise
 */
@ConfigurationProperties("kv.coordinator")
public record CoordinatorProperties(@DefaultValue("http://127.0.0.1:8080") List<URI> urls,
                                    @DefaultValue("1s") Duration heartbeatInterval,
                                    @DefaultValue("1s") Duration connectTimeout,
                                    @DefaultValue("2s") Duration readTimeout) {
}
