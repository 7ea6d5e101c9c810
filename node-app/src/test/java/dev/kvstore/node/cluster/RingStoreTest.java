package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.RingView;
import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring a node was told survives its restarts, power cuts included, and only moves forward. */
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
    void anUpdateForcesTheFileAndThenTheDirectoryItWasRenamedIn() {
        List<String> forced = new ArrayList<>();
        Disk recording = new Disk() {
            @Override
            public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
                return Disk.REAL.open(path, options);
            }

            @Override
            public void syncDirectory(Path dir) throws IOException {
                forced.add(Files.exists(dir.resolve(RingStore.FILE)) ? "directory after the rename" : "directory too early");
                Disk.REAL.syncDirectory(dir);
            }
        };

        new RingStore(dataDir, recording).update(new RingView(2, List.of("node-1", "node-2")));

        assertThat(forced).containsExactly("directory after the rename");
        assertThat(dataDir.resolve(RingStore.FILE + ".tmp")).doesNotExist();
        assertThat(new RingStore(dataDir).current()).isEqualTo(new RingView(2, List.of("node-1", "node-2")));
    }

    @Test
    void unreadableRingFileCountsAsNone() throws Exception {
        Files.writeString(dataDir.resolve(RingStore.FILE), "not a number\nnode-1\n");

        assertThat(new RingStore(dataDir).current()).isNull();
    }
}
