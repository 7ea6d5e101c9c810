package dev.kvstore.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class ScheduledJobsTest {

    @Test
    void aJobStuckOnANodeDoesNotHoldUpTheOthers() throws InterruptedException {
        ThreadPoolTaskScheduler scheduler = ScheduledJobs.scheduler(3);
        scheduler.initialize();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reaps = new CountDownLatch(3);
        try {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    release.await(); // the decision retries, waiting on a node that never answers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, Duration.ofMillis(1));
            scheduler.scheduleWithFixedDelay(() -> { }, Duration.ofMillis(1)); // the rebalancer
            scheduler.scheduleWithFixedDelay(reaps::countDown, Duration.ofMillis(1)); // the reaper

            assertThat(reaps.await(10, TimeUnit.SECONDS)).as("the reaper kept running").isTrue();
        } finally {
            release.countDown();
            scheduler.shutdown();
        }
    }
}
