package dev.kvstore.node.config;

import dev.kvstore.node.cluster.CoordinatorEndpoints;
import dev.kvstore.node.cluster.NodeInfoContributor;
import dev.kvstore.node.cluster.Registrar;
import dev.kvstore.node.cluster.RegistrationHealthIndicator;
import dev.kvstore.node.cluster.RingStore;
import dev.kvstore.node.disk.DiskHealthIndicator;
import dev.kvstore.node.disk.DiskSpace;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantMetrics;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.storage.StorageMetrics;
import dev.kvstore.node.term.TermStore;
import dev.kvstore.node.wal.WalHealthIndicator;
import dev.kvstore.node.wal.WalMetrics;
import dev.kvstore.node.wal.WriteAheadLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationPredicate;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Wires the node's health indicators ({@code wal}, {@code registration}; the bean name without
 * "HealthIndicator" is the component's name, which the readiness group in application.yaml lists),
 * meter binders and info contributor to the core objects they read. The adapters live in the
 * feature package they observe; they are built here, next to one another.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    private static final Set<String> HOT_PATHS = Set.of("/internal/txn/batch", "/internal/kv/batch");

    /**
     * The batched 2PC and read endpoints carry the write and read paths, timed by the coordinator
     * (kv.requests, kv.txn phases) and by the WAL's own metrics; Spring's per-request observation of
     * them would cost more than the node's work for a small batch. Every other endpoint keeps it.
     */
    @Bean
    ObservationPredicate hotPathsNotObserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server)
                || !HOT_PATHS.contains(server.getCarrier().getRequestURI());
    }

    @Bean
    WalHealthIndicator walHealthIndicator(WriteAheadLog writeAheadLog) {
        return new WalHealthIndicator(writeAheadLog);
    }

    /** The {@code disk} component: room against the watermarks (Spring's own diskSpace indicator is off). */
    @Bean
    DiskHealthIndicator diskHealthIndicator(DiskSpace diskSpace, NodeProperties node) {
        return new DiskHealthIndicator(diskSpace, node.dataDir().toAbsolutePath().toString());
    }

    @Bean
    MeterBinder diskMetrics(DiskSpace disk) {
        return registry -> {
            Gauge.builder("kv.disk.free", disk, d -> d.reading().usableBytes()).baseUnit(BaseUnits.BYTES)
                    .description("free space on the file system of the node's data").register(registry);
            Gauge.builder("kv.disk.full", disk, d -> d.level() == DiskSpace.Level.FULL ? 1 : 0)
                    .description("1 while free space is below the high watermark: new values are refused (507)")
                    .register(registry);
        };
    }

    @Bean
    RegistrationHealthIndicator registrationHealthIndicator(Registrar registrar, Participant participant,
                                                            CoordinatorEndpoints coordinators) {
        return new RegistrationHealthIndicator(registrar, participant.nodeId(), coordinators);
    }

    @Bean
    WalMetrics walMetrics(WriteAheadLog writeAheadLog) {
        return new WalMetrics(writeAheadLog);
    }

    @Bean
    ParticipantMetrics participantMetrics(Participant participant) {
        return new ParticipantMetrics(participant);
    }

    @Bean
    StorageMetrics storageMetrics(Tables tables) {
        return new StorageMetrics(tables);
    }

    @Bean
    MeterBinder coordinatorTermMetrics(TermStore terms) {
        return registry -> Gauge.builder("kv.node.coordinator.term", terms, TermStore::highest)
                .description("the highest coordinator leader term this node has seen; calls with older ones are refused")
                .register(registry);
    }

    @Bean
    NodeInfoContributor nodeInfoContributor(Participant participant, NodeProperties node, Registrar registrar,
                                            RingStore ring, TermStore terms) {
        return new NodeInfoContributor(participant.nodeId(), node.dataDir(), registrar, ring, terms);
    }
}
