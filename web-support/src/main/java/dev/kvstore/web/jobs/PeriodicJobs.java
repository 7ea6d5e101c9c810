package dev.kvstore.web.jobs;

import java.time.Duration;
import java.util.List;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * An app's periodic jobs, all in one list, each on a thread of its own: the pool is sized from the list.
 * Spring Boot's default runs scheduled jobs one after the other on a single thread, where one stuck on a
 * peer that never answers holds back every other (a reaper, a heartbeat). Each app extends this once and
 * names its jobs; the subclass is the one place to read what runs periodically and how often.
 */
public abstract class PeriodicJobs implements SchedulingConfigurer {

    /** A periodic job: its name, the pause between the end of one run and the start of the next, its work. */
    public record Job(String name, Duration every, Runnable work) {
    }

    private final List<Job> jobs;

    protected PeriodicJobs(List<Job> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    public List<Job> jobs() {
        return jobs;
    }

    /** The scheduler the jobs run on; the subclass declares it as its {@code taskScheduler} bean. */
    protected ThreadPoolTaskScheduler newScheduler() {
        return scheduler(jobs.size());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        for (Job job : jobs) {
            tasks.addFixedDelayTask(job.work(), job.every());
        }
    }

    /** A pool with a thread for each of {@code jobs} jobs; shutting down does not wait for a stuck one. */
    public static ThreadPoolTaskScheduler scheduler(int jobs) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(jobs);
        scheduler.setThreadNamePrefix("scheduling-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }
}
