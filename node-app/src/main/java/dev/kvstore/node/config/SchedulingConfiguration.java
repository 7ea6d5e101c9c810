package dev.kvstore.node.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The node's periodic jobs (heartbeats, repairing a failed log, resolving transactions in doubt,
 * snapshots, the batched fsync timer) each on a thread of their own. Spring Boot's default runs them one after the other on a
 * single thread, so asking a peer that accepts connections and never answers about each transaction
 * in doubt, or writing a large snapshot, held back the heartbeats until the coordinator declared this
 * healthy node DOWN.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

    /** One thread per periodic job (see NodeConfiguration.configureTasks); raise it when adding one. */
    static final int JOBS = 5;

    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(JOBS);
        scheduler.setThreadNamePrefix("scheduling-");
        return scheduler;
    }
}
