package dev.kvstore.coordinator.membership;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param heartbeatTimeout how long without a heartbeat before the reaper marks a node DOWN
 * @param reaperInterval   how often the reaper looks
 * @param rebalanceInterval how often the rebalancer compares the ring with the live nodes
 * @param formationWindow  after a coordinator start, how long after the first node registers the ring
 *                         waits for the others before forming (requests are 503 until then)
 * @param restartWait      when the nodes report a previous ring (a whole-cluster restart), how long
 *                         after the first node registers the ring waits at most for that ring's members
 *                         before forming with the missing ones DOWN (and failed over); a minute covers
 *                         a slow JVM start and log recovery, and costs at most a minute of 503 more
 *                         when a node really did not survive
 * @param migrationTimeout the longest a single migration step (copying one node's ranges) may take
 * @param virtualNodes     ring positions per node (512 keeps every node within 20% of its fair
 *                         share; see RingDistributionTest)
 */
@ConfigurationProperties("kv.membership")
public record MembershipProperties(@DefaultValue("3s") Duration heartbeatTimeout,
                                   @DefaultValue("500ms") Duration reaperInterval,
                                   @DefaultValue("500ms") Duration rebalanceInterval,
                                   @DefaultValue("3s") Duration formationWindow,
                                   @DefaultValue("60s") Duration restartWait,
                                   @DefaultValue("5m") Duration migrationTimeout,
                                   @DefaultValue("512") int virtualNodes) {
}
