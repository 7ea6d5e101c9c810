package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class WalHealthIndicatorTest {

    private static final WalOptions ALWAYS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;

    @Test
    void writableLogIsUpAndNamesTheSegmentAppendsGoTo() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, Disk.REAL, new RecordingHandler()).log()) {
            wal.appendDurably(bytes("one"));
            wal.rollSegment();

            Health health = new WalHealthIndicator(wal).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("segment", "wal-00000000000000000002.log")
                    .containsEntry("appends", 1L).doesNotContainKey("error");
        }
    }

    @Test
    void failedFsyncTurnsItDownWithTheError() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log()) {
            disk.failSegmentForces(new IOException("EIO from the test disk"));
            assertThatThrownBy(() -> wal.appendDurably(bytes("doomed"))).isInstanceOf(WalException.class);

            Health health = new WalHealthIndicator(wal).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("EIO from the test disk");
        }
    }

    @Test
    void closedLogIsDown() throws IOException {
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, Disk.REAL, new RecordingHandler()).log();
        wal.close();

        assertThat(new WalHealthIndicator(wal).health().getStatus()).isEqualTo(Status.DOWN);
    }
}
