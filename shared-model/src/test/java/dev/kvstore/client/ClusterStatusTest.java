package dev.kvstore.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {

    private static final ClusterStatus.Migration IDLE = new ClusterStatus.Migration(null, "idle", 0, 0, null, null);

    @Test
    void fullyReplicatedNeedsAFormedRingEveryArcWithTwoCopiesAndNoMigration() {
        assertThat(status(new ClusterStatus.Ranges(true, 10, 10, 0, 0), IDLE).fullyReplicated()).isTrue();

        assertThat(status(new ClusterStatus.Ranges(false, 0, 0, 0, 0), IDLE).fullyReplicated()).isFalse();
        assertThat(status(new ClusterStatus.Ranges(true, 10, 9, 1, 0), IDLE).fullyReplicated()).isFalse();
        assertThat(status(new ClusterStatus.Ranges(true, 10, 9, 0, 1), IDLE).fullyReplicated()).isFalse();
        assertThat(status(new ClusterStatus.Ranges(true, 10, 10, 0, 0),
                new ClusterStatus.Migration("node-4 joins", "copying", 5, 1, null, null)).fullyReplicated()).isFalse();
    }

    @Test
    void aDocumentWithoutSectionsIsEmptyNotBroken() {
        ClusterStatus empty = new ClusterStatus(null, null, null);

        assertThat(empty.nodes()).isEmpty();
        assertThat(empty.node("node-1")).isEmpty();
        assertThat(empty.fullyReplicated()).isFalse();
    }

    private static ClusterStatus status(ClusterStatus.Ranges ranges, ClusterStatus.Migration migration) {
        return new ClusterStatus(List.of(), ranges, migration);
    }
}
