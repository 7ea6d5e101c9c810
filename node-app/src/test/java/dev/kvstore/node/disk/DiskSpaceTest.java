package dev.kvstore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.node.participant.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiskSpaceTest {

    private static final long TOTAL = 1000;

    private final AtomicLong free = new AtomicLong(500);
    private final AtomicInteger reads = new AtomicInteger();
    private final MutableClock clock = new MutableClock();
    private final DiskSpace disk = new DiskSpace(() -> {
        reads.incrementAndGet();
        return new SpaceProbe.Space(TOTAL, free.get());
    }, Watermark.of("10%"), Watermark.of("50B"), clock, Duration.ofMillis(500));

    @Test
    void theLevelFollowsTheFreeSpaceAcrossBothWatermarks() {
        assertThat(disk.level()).isEqualTo(DiskSpace.Level.OK);
        free.set(99);
        clock.advance(Duration.ofSeconds(1));
        assertThat(disk.level()).isEqualTo(DiskSpace.Level.LOW);
        assertThat(disk.roomForNewData()).isTrue();
        free.set(49);
        clock.advance(Duration.ofSeconds(1));
        assertThat(disk.level()).isEqualTo(DiskSpace.Level.FULL);
        assertThat(disk.roomForNewData()).isFalse();
        assertThat(disk.reading()).satisfies(r -> {
            assertThat(r.lowBytes()).isEqualTo(100);
            assertThat(r.highBytes()).isEqualTo(50);
            assertThat(r.usableBytes()).isEqualTo(49);
        });
        free.set(100);
        clock.advance(Duration.ofSeconds(1));
        assertThat(disk.level()).isEqualTo(DiskSpace.Level.OK);
    }

    @Test
    void aReadingIsReusedForItsMaximumAgeSoTheWritePathRarelyAsksTheKernel() {
        for (int i = 0; i < 100; i++) {
            disk.roomForNewData();
        }
        assertThat(reads).hasValue(1);
        free.set(0);
        clock.advance(Duration.ofMillis(499));
        assertThat(disk.roomForNewData()).as("still the old reading").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(disk.roomForNewData()).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFileSystemThatCannotBeReadCountsAsRoomyTheLogJudgesAFailingDisk() {
        DiskSpace unreadable = new DiskSpace(() -> {
            throw new IOException("stale NFS handle");
        }, Watermark.of("10%"), Watermark.of("5%"), clock, Duration.ofMillis(500));
        assertThat(unreadable.level()).isEqualTo(DiskSpace.Level.OK);
    }

    @Test
    void theHealthIsUpLowSpaceOrFullAndNeverDown() {
        DiskHealthIndicator health = new DiskHealthIndicator(disk, "/data");
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        free.set(60);
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.health().getStatus()).isEqualTo(DiskHealthIndicator.LOW_SPACE);
        free.set(10);
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.health().getStatus()).isEqualTo(DiskHealthIndicator.FULL);
        assertThat(health.health().getDetails()).containsEntry("free", 10L).containsEntry("highWatermark", "50B")
                .containsEntry("path", "/data");
    }
}
