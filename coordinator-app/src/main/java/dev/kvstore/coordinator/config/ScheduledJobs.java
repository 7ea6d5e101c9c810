package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.MembershipProperties;
import dev.kvstore.coordinator.membership.NodeProbe;
import dev.kvstore.coordinator.migration.Rebalancer;
import dev.kvstore.coordinator.txn.TwoPhaseCommit;
import dev.kvstore.coordinator.txn.TxnRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Every periodic job of the coordinator, in one list, each with its interval from a properties record.
 * All three run only on the serving leader: the heartbeats go to it, it decides who is DOWN and how
 * the ring moves, and a deposed leader's decisions would be refused for their term anyway.
 *
 * <p>Each job has a thread of its own (the pool is sized from the list). Spring Boot's default runs them
 * one after the other on a single thread, so a rebalancer streaming a range, or retries waiting out the
 * read timeout of a node that accepts connections and never answers, kept the reaper from declaring that
 * node DOWN (31 s instead of 3 s, measured in StuckNodeIT).
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledJobs implements SchedulingConfigurer {

    /** Decided aborts are remembered this long, for a replica that asks late. */
    private static final Duration ABORT_MEMORY = Duration.ofMinutes(10);

    /** A periodic job: its name, the pause between the end of one run and the start of the next, its work. */
    record Job(String name, Duration every, Runnable work) {
    }

    private final List<Job> jobs;

    public ScheduledJobs(Leadership leadership, Membership membership, NodeProbe probe, Rebalancer rebalancer,
                         TwoPhaseCommit txn, TxnRegistry registry, MembershipProperties membershipProperties,
                         NodeClientProperties nodeProperties) {
        this.jobs = List.of(
                new Job("reaper", membershipProperties.reaperInterval(),
                        onLeader(leadership, () -> membership.reap(probe))),
                new Job("rebalancer", membershipProperties.rebalanceInterval(), onLeader(leadership, rebalancer::tick)),
                new Job("decision retries", nodeProperties.retryInterval(), onLeader(leadership, () -> {
                    txn.retryPending(id -> membership.member(id).map(Member::url));
                    registry.forgetAbortsOlderThan(ABORT_MEMORY);
                })));
    }

    List<Job> jobs() {
        return jobs;
    }

    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        return scheduler(jobs.size());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        for (Job job : jobs) {
            tasks.addFixedDelayTask(job.work(), job.every());
        }
    }

    /** A pool with a thread for each of {@code jobs} jobs. */
    static ThreadPoolTaskScheduler scheduler(int jobs) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(jobs);
        scheduler.setThreadNamePrefix("scheduling-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }

    private static Runnable onLeader(Leadership leadership, Runnable work) {
        return () -> {
            if (leadership.serves()) {
                work.run();
            }
        };
    }
}
