package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static dev.kvstore.node.wal.WalFiles.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogFsyncPolicyTest {

    @TempDir
    Path dir;

    private static WalOptions policy(FsyncPolicy fsync) {
        return new WalOptions(fsync, 1 << 20, 1L << 30);
    }

    @Test
    void alwaysFsyncsBeforeEachSerialAppendDurablyReturns() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, policy(FsyncPolicy.ALWAYS), disk, new RecordingHandler()).log()) {
            for (int i = 1; i <= 10; i++) {
                wal.appendDurably(bytes("r" + i));
                assertThat(disk.segmentForces()).isEqualTo(i);
            }
            assertThat(wal.stats().fsyncs()).isEqualTo(10);
            assertThat(wal.stats().writes()).isEqualTo(10);
            assertThat(wal.stats().largestBatch()).isEqualTo(1);
        }
    }

    @Test
    void offPolicyNeverFsyncsALogSegment() throws IOException {
        CountingDisk disk = new CountingDisk();
        List<String> written = payloads("off", 50);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, policy(FsyncPolicy.OFF), disk, new RecordingHandler()).log()) {
            written.subList(0, 25).forEach(p -> wal.appendDurably(bytes(p)));
            wal.rollSegment();
            written.subList(25, 50).forEach(p -> wal.appendDurably(bytes(p)));
            wal.force();
            assertThat(wal.stats().fsyncs()).isZero();
            assertThat(wal.stats().writes()).isEqualTo(50);
        }
        assertThat(disk.segmentForces()).isZero();

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, policy(FsyncPolicy.OFF), Disk.REAL, handler).log().close();
        assertThat(handler.logRecords()).containsExactlyElementsOf(written);
    }

    @Test
    void batchedPolicyDoesNotFsyncOnAppendButForceFsyncsOnce() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, policy(FsyncPolicy.BATCHED), disk, new RecordingHandler()).log()) {
            for (int i = 0; i < 50; i++) {
                wal.appendDurably(bytes("batched-" + i));
            }
            assertThat(disk.segmentForces()).isZero();
            assertThat(wal.stats().fsyncs()).isZero();
            assertThat(wal.stats().writes()).isEqualTo(50);

            wal.force();

            assertThat(disk.segmentForces()).isEqualTo(1);
            assertThat(wal.stats().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void forceDoesNothingUnderAlways() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, policy(FsyncPolicy.ALWAYS), disk, new RecordingHandler()).log()) {
            wal.appendDurably(bytes("one"));
            wal.force();
            assertThat(disk.segmentForces()).isEqualTo(1);
            assertThat(wal.stats().fsyncs()).isEqualTo(1);
        }
    }
}
