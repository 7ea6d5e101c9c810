package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.RingView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void nodeThatWasNeverToldARingHasNone() {
        assertThat(new RingStore(dataDir).current()).isNull();
    }

    @Test
    void keptRingSurvivesARestart() {
        new RingStore(dataDir).update(new RingView(3, List.of("node-1", "node-2", "node-3")));

        assertThat(new RingStore(dataDir).current()).isEqualTo(new RingView(3, List.of("node-1", "node-2", "node-3")));
    }

    @Test
    void olderOrEqualEpochsNeverReplaceTheRingKept() {
        RingStore store = new RingStore(dataDir);
        store.update(new RingView(5, List.of("a", "b")));

        assertThat(store.update(new RingView(4, List.of("a")))).isFalse();
        assertThat(store.update(new RingView(5, List.of("a")))).isFalse();
        assertThat(store.update(new RingView(6, List.of("a", "c")))).isTrue();

        assertThat(new RingStore(dataDir).current()).isEqualTo(new RingView(6, List.of("a", "c")));
    }

    @Test
    void unreadableRingFileCountsAsNone() throws Exception {
        Files.writeString(dataDir.resolve(RingStore.FILE), "not a number\nnode-1\n");

        assertThat(new RingStore(dataDir).current()).isNull();
    }
}
