package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.storage.StorageMetrics;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticipantMetricsTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();

    private TestNode open() throws IOException {
        return TestNode.open("node-test", dir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 20), Disk.REAL,
                new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1024), clock,
                new ScriptedTransport());
    }

    private static PrepareRequest put(String key, Table table) {
        return new PrepareRequest(key, table, WriteOp.PUT, "v".getBytes(StandardCharsets.UTF_8), "text/plain", null,
                List.of("http://peer:1"));
    }

    private static SimpleMeterRegistry meters(TestNode participant) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ParticipantMetrics(participant.participant()).bindTo(registry);
        new StorageMetrics(participant.tables()).bindTo(registry);
        return registry;
    }

    private static double counter(SimpleMeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void votesDecisionsAndHeldTransactionsAreCountedAsTheyHappen() throws IOException {
        try (TestNode participant = open()) {
            SimpleMeterRegistry registry = meters(participant);

            participant.participant().prepare("t1", put("a", Table.OWN));
            participant.participant().commit("t1", 10);
            participant.participant().prepare("t2", put("b", Table.PREV));
            participant.participant().prepare("t3", put("b", Table.PREV)); // b is held by t2: votes no
            participant.participant().abort("t4"); // an abort before any prepare is still an abort

            assertThat(counter(registry, "kv.participant.prepares", "vote", "yes")).isEqualTo(2);
            assertThat(counter(registry, "kv.participant.prepares", "vote", "no")).isEqualTo(1);
            assertThat(counter(registry, "kv.participant.commits")).isEqualTo(1);
            assertThat(counter(registry, "kv.participant.aborts")).isEqualTo(1);
            assertThat(registry.get("kv.participant.in_doubt").gauge().value()).isEqualTo(1);
            assertThat(registry.get("kv.storage.keys").tag("table", "own").gauge().value()).isEqualTo(1);
            assertThat(registry.get("kv.storage.keys").tag("table", "prev").gauge().value()).isZero();

            participant.participant().commit("t2", 11);

            assertThat(registry.get("kv.participant.in_doubt").gauge().value()).isZero();
            assertThat(registry.get("kv.storage.keys").tag("table", "prev").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void whatRecoveryReplaysIsNotCountedAgain() throws IOException {
        try (TestNode participant = open()) {
            participant.participant().prepare("t1", put("a", Table.OWN));
            participant.participant().commit("t1", 10);
            participant.participant().prepare("t2", put("b", Table.OWN));
        }

        try (TestNode reopened = open()) {
            SimpleMeterRegistry registry = meters(reopened);

            assertThat(counter(registry, "kv.participant.prepares", "vote", "yes")).isZero();
            assertThat(counter(registry, "kv.participant.commits")).isZero();
            assertThat(registry.get("kv.participant.in_doubt").gauge().value()).isEqualTo(1);
            assertThat(registry.get("kv.storage.keys").tag("table", "own").gauge().value()).isEqualTo(1);
        }
    }
}
