package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static dev.kvstore.node.wal.WalFiles.fileNames;
import static dev.kvstore.node.wal.WalFiles.flipByte;
import static dev.kvstore.node.wal.WalFiles.segment;
import static dev.kvstore.node.wal.WalFiles.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogSnapshotTest {

    private static final WalOptions OPTIONS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;

    private static List<byte[]> entries(String... values) {
        return java.util.Arrays.stream(values).map(WalFiles::bytes).toList();
    }

    private static void append(WriteAheadLog wal, String... records) {
        for (String r : records) {
            wal.appendDurably(bytes(r));
        }
    }

    private static long takeSnapshot(WriteAheadLog wal, String... state) throws IOException {
        long generation = wal.rollSegment();
        wal.writeSnapshot(generation, entries(state).iterator());
        return generation;
    }

    /** a=1, snapshot, b=2, snapshot, c=3; returns the two snapshots' generations, older first. */
    private long[] twoSnapshotsWithARecordAfterEach() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1");
            long older = takeSnapshot(wal, "a=1");
            append(wal, "put b=2");
            long newer = takeSnapshot(wal, "a=1", "b=2");
            append(wal, "put c=3");
            return new long[] {older, newer};
        }
    }

    @Test
    void recoveryDeliversSnapshotEntriesThenOnlyRecordsAppendedAfterTheRoll() throws IOException {
        long generation;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1", "put b=2", "put a=3");
            generation = takeSnapshot(wal, "a=3", "b=2");
            append(wal, "put c=4", "del b");
        }

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.events()).containsExactly(
                "snapshot:a=3", "snapshot:b=2", "log:put c=4", "log:del b");
        assertThat(generation).isEqualTo(2);
        assertThat(opened.report().snapshotGeneration()).isEqualTo(generation);
        assertThat(opened.report().snapshotEntries()).isEqualTo(2);
        assertThat(opened.report().logRecords()).isEqualTo(2);
        assertThat(opened.report().damage()).isEmpty();
    }

    @Test
    void emptySnapshotIsValidAndRecoveryStartsFromIt() throws IOException {
        long generation;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1", "del a");
            generation = takeSnapshot(wal);
            append(wal, "put z=9");
        }

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.events()).containsExactly("log:put z=9");
        assertThat(opened.report().snapshotGeneration()).isEqualTo(generation);
        assertThat(opened.report().snapshotEntries()).isZero();
        assertThat(opened.report().damage()).isEmpty();
    }

    @Test
    void corruptNewestSnapshotFallsBackToThePreviousSnapshotAndTheSegmentsAfterIt() throws IOException {
        long[] generations = twoSnapshotsWithARecordAfterEach();
        long older = generations[0];
        long newer = generations[1];
        flipByte(snapshot(dir, newer), 6);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        // Nothing is lost: the older snapshot plus every record since it gives the same state.
        assertThat(handler.events()).containsExactly("snapshot:a=1", "log:put b=2", "log:put c=3");
        assertThat(opened.report().snapshotGeneration()).isEqualTo(older);
        Path aside = dir.resolve(snapshot(dir, newer).getFileName() + ".damaged");
        assertThat(opened.report().damage()).hasValueSatisfying(
                damage -> assertThat(damage.setAside()).containsExactly(aside));
        assertThat(aside).exists();
        assertThat(snapshot(dir, newer)).doesNotExist();
    }

    @Test
    void corruptOnlySnapshotFallsBackToTheWholeLogSoNothingIsLost() throws IOException {
        long generation;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1", "put b=2");
            generation = takeSnapshot(wal, "a=1", "b=2");
            append(wal, "put c=3");
        }
        flipByte(snapshot(dir, generation), 6);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.events()).containsExactly("log:put a=1", "log:put b=2", "log:put c=3");
        assertThat(opened.report().snapshotGeneration()).isZero();
        assertThat(opened.report().damage()).isPresent();
    }

    @Test
    void everySnapshotUnreadableAppliesNoRecordToAStateItWasNotMeantFor() throws IOException {
        long[] generations = twoSnapshotsWithARecordAfterEach();
        long older = generations[0];
        long newer = generations[1];
        flipByte(snapshot(dir, newer), 6);
        flipByte(snapshot(dir, older), 6);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        // The segments left start after state that no readable snapshot holds any more.
        assertThat(handler.events()).isEmpty();
        assertThat(opened.report().damage()).hasValueSatisfying(damage -> {
            assertThat(damage.reason()).contains("segment 1 is missing");
            assertThat(damage.setAside()).contains(dir.resolve(segment(dir, older).getFileName() + ".damaged"));
        });
    }

    @Test
    void snapshotWithoutItsEndMarkerIsRejected() throws IOException {
        long older;
        long newer;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1");
            older = takeSnapshot(wal, "a=1");
            append(wal, "put b=2");
            newer = takeSnapshot(wal, "a=1", "b=2");
        }
        // Cut the end marker (a framed 9-byte payload) off: the entries left are all intact.
        WalFiles.chopEnd(snapshot(dir, newer), RecordFormat.framedSize(9));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(opened.report().snapshotGeneration()).isEqualTo(older);
        assertThat(handler.events()).containsExactly("snapshot:a=1", "log:put b=2");
    }

    @Test
    void segmentsAndSnapshotsOlderThanThePreviousSnapshotAreDeleted() throws IOException {
        List<String> state = new ArrayList<>();
        List<Long> generations = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            for (int round = 0; round < 6; round++) {
                String record = "put k" + round + "=" + round;
                append(wal, record);
                state.add("k" + round + "=" + round);
                generations.add(takeSnapshot(wal, state.toArray(String[]::new)));

                long newest = generations.getLast();
                if (generations.size() == 1) {
                    // With only one snapshot there is nothing older to fall back on: keep the log.
                    assertThat(fileNames(dir)).containsExactlyInAnyOrder(
                            segment(dir, 1).getFileName().toString(), segment(dir, 2).getFileName().toString(),
                            snapshot(dir, newest).getFileName().toString());
                } else {
                    long previous = generations.get(generations.size() - 2);
                    // Bounded: the previous snapshot, the newest one, and the segments from the previous on.
                    assertThat(fileNames(dir)).containsExactlyInAnyOrder(
                            snapshot(dir, previous).getFileName().toString(),
                            snapshot(dir, newest).getFileName().toString(),
                            segment(dir, previous).getFileName().toString(),
                            segment(dir, newest).getFileName().toString());
                }
            }
            append(wal, "put tail=1");
        }

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();
        assertThat(opened.report().snapshotGeneration()).isEqualTo(generations.getLast());
        assertThat(handler.snapshotEntries()).containsExactlyElementsOf(state);
        assertThat(handler.logRecords()).containsExactly("put tail=1");
    }

    @Test
    void leftoverTemporarySnapshotFromACrashIsRemovedAndIgnored() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            append(wal, "put a=1");
        }
        Path tmp = dir.resolve(snapshot(dir, 2).getFileName() + ".tmp");
        Files.write(tmp, bytes("half a snapshot"));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(tmp).doesNotExist();
        assertThat(handler.events()).containsExactly("log:put a=1");
        assertThat(opened.report().damage()).isEmpty();
    }

    @Test
    void snapshotIsDueOnceTheConfiguredBytesAreLoggedAndNotAgainRightAfterARoll() throws IOException {
        WalOptions options = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 100);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, options, Disk.REAL, new RecordingHandler()).log()) {
            wal.appendDurably(new byte[50]);
            assertThat(wal.snapshotDue()).isFalse();
            wal.appendDurably(new byte[50]);
            assertThat(wal.snapshotDue()).isTrue();
            wal.rollSegment();
            assertThat(wal.snapshotDue()).isFalse();
        }
    }
}
