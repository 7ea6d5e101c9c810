package dev.kvstore.web.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.web.jobs.PeriodicJobs.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

class PeriodicJobsTest {

    private static final Duration OFTEN = Duration.ofMillis(1);

    @Test
    void everyJobGetsAThreadSoOneGoesOnWhileAllTheOthersAreStuck() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch heartbeats = new CountDownLatch(3);
        Runnable stuck = () -> {
            try {
                release.await(); // a peer that never answers, a snapshot of a large table
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<Job> list = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            list.add(new Job("stuck " + i, OFTEN, stuck));
        }
        list.add(new Job("heartbeats", OFTEN, heartbeats::countDown));
        PeriodicJobs jobs = new PeriodicJobs(list) {
        };
        ThreadPoolTaskScheduler scheduler = jobs.newScheduler();
        scheduler.initialize();
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
        registrar.setScheduler(scheduler);
        jobs.configureTasks(registrar);
        try {
            registrar.afterPropertiesSet();

            assertThat(scheduler.getPoolSize()).isEqualTo(4);
            assertThat(heartbeats.await(10, TimeUnit.SECONDS)).as("heartbeats kept going").isTrue();
        } finally {
            release.countDown();
            registrar.destroy();
            scheduler.shutdown();
        }
    }
}
