package dev.kvstore.coordinator.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The coordinator's periodic jobs (the heartbeat reaper, the rebalancer, the decision retries) each on
 * a thread of their own. Spring Boot's default runs them one after the other on a single thread, so a
 * rebalancer streaming a range, or retries waiting out the read timeout of a node that accepts
 * connections and never answers, kept the reaper from declaring that node DOWN (31 s instead of 3 s,
 * measured in StuckNodeIT).
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

    /** One thread per @Scheduled job; raise it when adding one. */
    static final int JOBS = 3;

    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(JOBS);
        scheduler.setThreadNamePrefix("scheduling-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }
}
