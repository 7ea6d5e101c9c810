package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogFailureTest {

    private static final WalOptions ALWAYS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;

    @Test
    void failedFsyncFailsTheWaiterAndEveryLaterAppendWithoutRetrying() throws IOException {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        wal.appendDurably(bytes("before"));
        IOException diskError = new IOException("EIO from the test disk");
        disk.failSegmentForces(diskError);

        long seq = wal.append(bytes("doomed"));
        assertThatThrownBy(() -> wal.awaitDurable(seq))
                .isInstanceOf(WalException.class)
                .hasCause(diskError);
        int forcesAfterFailure = disk.segmentForces();

        assertThat(wal.isWritable()).isFalse();
        assertThatThrownBy(() -> wal.append(bytes("later"))).isInstanceOf(WalException.class).hasCause(diskError);
        assertThatThrownBy(() -> wal.appendDurably(bytes("later"))).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> wal.awaitDurable(seq)).isInstanceOf(WalException.class);
        assertThatThrownBy(wal::rollSegment).isInstanceOf(WalException.class);
        // Nobody tried the fsync again: a retry could report success for pages the kernel dropped.
        assertThat(disk.segmentForces()).isEqualTo(forcesAfterFailure);
        assertThat(wal.stats().fsyncs()).isEqualTo(1);
        wal.close();
        assertThat(disk.segmentForces()).isEqualTo(forcesAfterFailure);
    }

    @Test
    void everyAppendWaitingBehindAFailedFsyncFails() throws Exception {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        CountingDisk.Gate gate = disk.holdSegmentForces();

        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            writers.add(executor.submit(() -> wal.appendDurably(bytes("leader"))));
            gate.awaitHeld();
            for (int i = 0; i < 15; i++) {
                writers.add(executor.submit(() -> wal.appendDurably(bytes("follower"))));
            }
            WriteAheadLogGroupCommitTest.awaitAppends(wal, 16);
            disk.failSegmentForces(new IOException("EIO from the test disk"));
            gate.release();

            for (Future<?> writer : writers) {
                assertThatThrownBy(() -> writer.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(WalException.class);
            }
        }
        // The followers' batch was never written: one failed fsync ended the log.
        assertThat(disk.segmentForces()).isEqualTo(1);
        assertThat(wal.stats().writes()).isEqualTo(1);
        assertThat(wal.isWritable()).isFalse();
        wal.close();
    }

    @Test
    void failedBatchedForceMakesTheLogRefuseAppends() throws IOException {
        CountingDisk disk = new CountingDisk();
        WalOptions batched = new WalOptions(FsyncPolicy.BATCHED, 1 << 20, 1L << 30);
        WriteAheadLog wal = WriteAheadLog.open(dir, batched, disk, new RecordingHandler()).log();
        wal.appendDurably(bytes("written, not yet synced"));
        disk.failSegmentForces(new IOException("EIO from the test disk"));

        wal.force();

        assertThat(wal.isWritable()).isFalse();
        assertThatThrownBy(() -> wal.append(bytes("later"))).isInstanceOf(WalException.class);
        assertThatThrownBy(wal::force).isInstanceOf(WalException.class);
        wal.close();
    }
}
