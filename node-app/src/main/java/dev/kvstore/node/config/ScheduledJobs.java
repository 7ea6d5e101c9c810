package dev.kvstore.node.config;

import dev.kvstore.node.cluster.Registrar;
import dev.kvstore.node.participant.InDoubtResolver;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.replica.LogRepair;
import dev.kvstore.node.snapshot.Snapshots;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WriteAheadLog;
import dev.kvstore.web.jobs.PeriodicJobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Every periodic job of the node, each with its interval from a properties record: heartbeats, repairing
 * a failed log, resolving transactions in doubt, forgetting old outcomes, snapshots, and under {@code
 * fsync=batched} the fsync timer. One thread each: asking a peer that accepts connections and never answers about each transaction
 * in doubt, or writing a large snapshot, held back the heartbeats on a shared thread until the
 * coordinator declared this healthy node DOWN.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledJobs extends PeriodicJobs {

    public ScheduledJobs(Participant participant, InDoubtResolver resolver, Snapshots snapshots,
                         WriteAheadLog writeAheadLog, Registrar registrar, LogRepair logRepair,
                         CoordinatorProperties coordinator, DiskProperties disk,
                         ParticipantProperties participantProperties, WalProperties wal) {
        super(jobs(participant, resolver, snapshots, writeAheadLog, registrar, logRepair, coordinator, disk,
                participantProperties, wal));
    }

    private static List<Job> jobs(Participant participant, InDoubtResolver resolver, Snapshots snapshots,
                                  WriteAheadLog writeAheadLog, Registrar registrar, LogRepair logRepair,
                                  CoordinatorProperties coordinator, DiskProperties disk,
                                  ParticipantProperties participantProperties, WalProperties wal) {
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job("heartbeats", coordinator.heartbeatInterval(), registrar::tick));
        jobs.add(new Job("log repair", disk.repairInterval(), logRepair::tick));
        jobs.add(new Job("transactions in doubt", participantProperties.resolveInterval(), resolver::resolveInDoubt));
        // Each pass reads every outcome remembered (millions under load): a twentieth of the retention apart,
        // an outcome is forgotten at most 5% later than due, for a thirtieth of the scans once a second made.
        jobs.add(new Job("outcome pruning", participantProperties.outcomeRetention().dividedBy(20),
                participant::pruneOutcomes));
        jobs.add(new Job("snapshots", wal.snapshotCheckInterval(), () -> {
            try {
                snapshots.snapshotIfDue();
            } catch (IOException e) {
                throw new UncheckedIOException("snapshot failed", e);
            }
        }));
        if (wal.fsync() == FsyncPolicy.BATCHED) {
            jobs.add(new Job("batched fsync", wal.fsyncInterval(), writeAheadLog::force));
        }
        return jobs;
    }

    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        return newScheduler();
    }
}
