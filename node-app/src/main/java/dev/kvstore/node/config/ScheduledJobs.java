package dev.kvstore.node.config;

import dev.kvstore.node.cluster.Registrar;
import dev.kvstore.node.participant.LogRepair;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.wal.FsyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Every periodic job of the node, in one list, each with its interval from a properties record:
 * heartbeats, repairing a failed log, resolving transactions in doubt, snapshots, and under
 * {@code fsync=batched} the fsync timer.
 *
 * <p>Each job has a thread of its own (the pool is sized from the list). Spring Boot's default runs them
 * one after the other on a single thread, so asking a peer that accepts connections and never answers
 * about each transaction in doubt, or writing a large snapshot, held back the heartbeats until the
 * coordinator declared this healthy node DOWN.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledJobs implements SchedulingConfigurer {

    /** A periodic job: its name, the pause between the end of one run and the start of the next, its work. */
    record Job(String name, Duration every, Runnable work) {
    }

    private final List<Job> jobs = new ArrayList<>();

    public ScheduledJobs(Participant participant, Registrar registrar, LogRepair logRepair,
                         CoordinatorProperties coordinator, DiskProperties disk,
                         ParticipantProperties participantProperties, WalProperties wal) {
        jobs.add(new Job("heartbeats", coordinator.heartbeatInterval(), registrar::tick));
        jobs.add(new Job("log repair", disk.repairInterval(), logRepair::tick));
        jobs.add(new Job("transactions in doubt", participantProperties.resolveInterval(), () -> {
            participant.resolveInDoubt();
            participant.pruneOutcomes();
        }));
        jobs.add(new Job("snapshots", wal.snapshotCheckInterval(), () -> {
            try {
                participant.snapshotIfDue();
            } catch (IOException e) {
                throw new UncheckedIOException("snapshot failed", e);
            }
        }));
        if (wal.fsync() == FsyncPolicy.BATCHED) {
            jobs.add(new Job("batched fsync", wal.fsyncInterval(), () -> participant.log().force()));
        }
    }

    List<Job> jobs() {
        return List.copyOf(jobs);
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
        return scheduler;
    }
}
