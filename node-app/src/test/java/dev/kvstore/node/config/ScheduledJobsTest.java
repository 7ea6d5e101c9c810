package dev.kvstore.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class ScheduledJobsTest {

    @Test
    void heartbeatsGoOnWhileTheOtherJobsAreStuck() throws InterruptedException {
        ThreadPoolTaskScheduler scheduler = ScheduledJobs.scheduler(4);
        scheduler.initialize();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch heartbeats = new CountDownLatch(3);
        Runnable stuck = () -> {
            try {
                release.await(); // a peer that never answers, a snapshot of a large table
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            scheduler.scheduleWithFixedDelay(stuck, Duration.ofMillis(1));
            scheduler.scheduleWithFixedDelay(stuck, Duration.ofMillis(1));
            scheduler.scheduleWithFixedDelay(stuck, Duration.ofMillis(1));
            scheduler.scheduleWithFixedDelay(heartbeats::countDown, Duration.ofMillis(1));

            assertThat(heartbeats.await(10, TimeUnit.SECONDS)).as("heartbeats kept going").isTrue();
        } finally {
            release.countDown();
            scheduler.shutdown();
        }
    }
}
