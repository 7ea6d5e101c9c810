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

    @Test
    void aReopenAfterAFailedFsyncKeepsOnlyWhatWasDurableAndTakesAppendsAgain() throws IOException {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        wal.appendDurably(bytes("a"));
        wal.appendDurably(bytes("b"));
        disk.failSegmentForces(new IOException("EIO from the test disk"));
        // Written to the file, but its fsync failed: whether it is on the disk is unknown.
        long doomed = wal.append(bytes("c"));
        assertThatThrownBy(() -> wal.awaitDurable(doomed)).isInstanceOf(WalException.class);
        disk.failSegmentForces(null);

        RecordingHandler rebuilt = new RecordingHandler();
        RecoveryReport report = wal.reopen(rebuilt);

        assertThat(rebuilt.logRecords()).containsExactly("a", "b");
        assertThat(report.damage()).as("cut back on purpose, not damage found").isEmpty();
        assertThat(wal.isWritable()).isTrue();
        assertThat(wal.failure()).isEmpty();
        assertThatThrownBy(() -> wal.awaitDurable(doomed)).as("a record lost stays lost")
                .isInstanceOf(WalException.class);
        wal.appendDurably(bytes("d"));
        wal.close();

        RecordingHandler restarted = new RecordingHandler();
        WriteAheadLog.open(dir, ALWAYS, new CountingDisk(), restarted).log().close();
        assertThat(restarted.logRecords()).containsExactly("a", "b", "d");
    }

    @Test
    void aReopenAfterAWriteTheFullDiskTookHalfOfCutsTheTornRecordAndNothingElse() throws IOException {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        wal.appendDurably(bytes("kept"));
        disk.failSegmentWrites(new IOException("No space left on device"));
        assertThatThrownBy(() -> wal.appendDurably(bytes("x".repeat(1000)))).isInstanceOf(WalException.class)
                .hasRootCauseMessage("No space left on device");
        assertThat(wal.isWritable()).isFalse();

        // A disk still full cannot take even the new segment's header: the log stays failed, nothing more lost.
        assertThatThrownBy(() -> wal.reopen(new RecordingHandler())).isInstanceOf(IOException.class);
        assertThat(wal.isWritable()).isFalse();
        disk.failSegmentWrites(null);

        RecordingHandler rebuilt = new RecordingHandler();
        assertThat(wal.reopen(rebuilt).damage()).isEmpty();
        assertThat(rebuilt.logRecords()).containsExactly("kept");
        wal.appendDurably(bytes("after"));
        wal.close();

        RecordingHandler restarted = new RecordingHandler();
        assertThat(WriteAheadLog.open(dir, ALWAYS, new CountingDisk(), restarted).report().damage()).isEmpty();
        assertThat(restarted.logRecords()).containsExactly("kept", "after");
    }

    @Test
    void aFailedLogTellsItsListenersOnceAndAHealthyLogIsNotReopened() throws IOException {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        List<IOException> heard = new ArrayList<>();
        wal.addListener(new WalListener() {
            @Override
            public void failed(IOException error) {
                heard.add(error);
            }
        });
        assertThatThrownBy(() -> wal.reopen(new RecordingHandler())).isInstanceOf(IllegalStateException.class);

        IOException diskError = new IOException("EIO from the test disk");
        disk.failSegmentForces(diskError);
        assertThatThrownBy(() -> wal.appendDurably(bytes("one"))).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> wal.appendDurably(bytes("two"))).isInstanceOf(WalException.class);

        assertThat(heard).containsExactly(diskError);
        wal.close();
    }
}
