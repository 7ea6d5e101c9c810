package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalMetricsTest {

    private static final WalOptions ALWAYS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyFsyncIsTimedAndEveryBatchRecordsItsSize() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, Disk.REAL, new RecordingHandler()).log()) {
            new WalMetrics(wal).bindTo(registry);

            for (int i = 0; i < 3; i++) {
                wal.appendDurably(bytes("record-" + i));
            }

            assertThat(registry.get("kv.wal.fsync").timer().count()).isEqualTo(3);
            DistributionSummary batches = registry.get("kv.wal.batch.size").summary();
            assertThat(batches.count()).isEqualTo(3);
            assertThat(batches.totalAmount()).isEqualTo(3);
            assertThat(registry.get("kv.wal.fsyncs").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("kv.wal.appends").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("kv.wal.bytes").functionCounter().count())
                    .isEqualTo(3.0 * RecordFormat.framedSize(bytes("record-0").length));
            assertThat(registry.get("kv.wal.writable").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void appendsSharingOneFsyncAreOneBatch() throws Exception {
        CountingDisk disk = new CountingDisk();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log()) {
            new WalMetrics(wal).bindTo(registry);
            CountingDisk.Gate gate = disk.holdSegmentForces();
            List<Future<?>> writers = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                writers.add(executor.submit(() -> wal.appendDurably(bytes("leader"))));
                gate.awaitHeld();
                for (int i = 0; i < 9; i++) {
                    writers.add(executor.submit(() -> wal.appendDurably(bytes("follower"))));
                }
                WriteAheadLogGroupCommitTest.awaitAppends(wal, 10);
                gate.release();
                for (Future<?> writer : writers) {
                    writer.get(30, TimeUnit.SECONDS);
                }
            }

            DistributionSummary batches = registry.get("kv.wal.batch.size").summary();
            assertThat(batches.count()).isEqualTo(2);
            assertThat(batches.max()).isEqualTo(9);
            Timer fsync = registry.get("kv.wal.fsync").timer();
            assertThat(fsync.count()).isEqualTo(2);
        }
    }

    @Test
    void segmentsCountsTheFilesKeptOnDisk() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, Disk.REAL, new RecordingHandler()).log()) {
            new WalMetrics(wal).bindTo(registry);
            assertThat(registry.get("kv.wal.segments").gauge().value()).isEqualTo(1);

            wal.appendDurably(bytes("one"));
            wal.rollSegment();

            assertThat(registry.get("kv.wal.segments").gauge().value()).isEqualTo(2);
            // Rolling fsyncs the old segment: that fsync is timed as well.
            assertThat(registry.get("kv.wal.fsync").timer().count()).isEqualTo(2);
        }
    }
}
