package dev.kvstore.coordinator.membership;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param heartbeatTimeout how long without a heartbeat before the reaper marks a node DOWN
 * @param reaperInterval   how often the reaper looks
 * @param virtualNodes     ring positions per node (512 keeps every node within 20% of its fair
 *                         share; see RingDistributionTest)
 */
@ConfigurationProperties("kv.membership")
public record MembershipProperties(@DefaultValue("3s") Duration heartbeatTimeout,
                                   @DefaultValue("500ms") Duration reaperInterval,
                                   @DefaultValue("512") int virtualNodes) {
}
