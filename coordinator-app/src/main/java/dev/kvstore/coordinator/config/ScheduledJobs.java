package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MembershipProperties;
import dev.kvstore.coordinator.membership.NodeProbe;
import dev.kvstore.coordinator.migration.Rebalancer;
import dev.kvstore.coordinator.txn.TwoPhaseCommit;
import dev.kvstore.coordinator.txn.TxnRegistry;
import dev.kvstore.web.jobs.PeriodicJobs;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Every periodic job of the coordinator, each with its interval from a properties record. All three run
 * only on the serving leader: the heartbeats go to it, it decides who is DOWN and how the ring moves, and
 * a deposed leader's decisions would be refused for their term anyway. One thread each: a rebalancer
 * streaming a range, or retries waiting out the read timeout of a node that accepts connections and never
 * answers, kept the reaper from declaring that node DOWN on a shared thread (31 s instead of 3 s, measured
 * in StuckNodeIT).
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledJobs extends PeriodicJobs {

    /**
     * Unacknowledged aborts are remembered this long, for a replica that was down when they were sent: far
     * past the nodes' outcome retention, after which its peer may no longer be able to tell it the outcome.
     * Only writes of the few seconds before a node is marked DOWN can be waiting for it, so this stays small.
     */
    private static final Duration ABORT_MEMORY = Duration.ofDays(1);

    public ScheduledJobs(Leadership leadership, Membership membership, NodeProbe probe, Rebalancer rebalancer,
                         TwoPhaseCommit txn, TxnRegistry registry, MembershipProperties membershipProperties,
                         NodeClientProperties nodeProperties) {
        super(List.of(
                new Job("reaper", membershipProperties.reaperInterval(),
                        onLeader(leadership, () -> membership.reap(probe))),
                new Job("rebalancer", membershipProperties.rebalanceInterval(), onLeader(leadership, rebalancer::tick)),
                new Job("decision retries", nodeProperties.retryInterval(), onLeader(leadership, () -> {
                    txn.retryPending(id -> membership.member(id).map(Member::url));
                    registry.forgetAbortsOlderThan(ABORT_MEMORY);
                }))));
    }

    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        return newScheduler();
    }

    private static Runnable onLeader(Leadership leadership, Runnable work) {
        return () -> {
            if (leadership.serves()) {
                work.run();
            }
        };
    }
}
