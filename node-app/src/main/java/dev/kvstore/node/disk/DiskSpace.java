package dev.kvstore.node.disk;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room the node's data has, by level: {@link Level#OK}, {@link Level#LOW} (below the low watermark:
 * warn) or {@link Level#FULL} (below the high watermark: refuse new data). A reading is reused for
 * {@code maxAge}, so asking on every write costs a clock read. A file system that cannot be read counts as
 * OK: the log's own failure is the verdict on a disk that fails.
 */
public final class DiskSpace {

    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);

    /** How the free space compares with the watermarks. */
    public enum Level {
        OK,
        LOW,
        FULL
    }

    /** One reading: what the file system had and which level that is. */
    public record Reading(Level level, long totalBytes, long usableBytes, long lowBytes, long highBytes) {
    }

    private final SpaceProbe probe;
    private final Watermark low;
    private final Watermark high;
    private final Clock clock;
    private final Duration maxAge;
    private volatile Reading last;
    private volatile Instant readAt = Instant.MIN;

    public DiskSpace(SpaceProbe probe, Watermark low, Watermark high, Clock clock, Duration maxAge) {
        this.probe = probe;
        this.low = low;
        this.high = high;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The level now (a reading at most {@code maxAge} old). */
    public Level level() {
        return reading().level();
    }

    /** Whether a new value may be written: false below the high watermark. */
    public boolean roomForNewData() {
        return level() != Level.FULL;
    }

    public Reading reading() {
        Instant now = clock.instant();
        Reading current = last;
        if (current != null && now.isBefore(readAt.plus(maxAge))) {
            return current;
        }
        synchronized (this) {
            if (last != null && now.isBefore(readAt.plus(maxAge))) {
                return last;
            }
            Reading next = measure();
            if (last == null ? next.level() != Level.OK : next.level() != last.level()) {
                report(next);
            }
            last = next;
            readAt = now;
            return next;
        }
    }

    public Watermark low() {
        return low;
    }

    public Watermark high() {
        return high;
    }

    private Reading measure() {
        SpaceProbe.Space space;
        try {
            space = probe.read();
        } catch (IOException e) {
            return new Reading(Level.OK, -1, -1, -1, -1);
        }
        long lowBytes = low.freeBytesOn(space.totalBytes());
        long highBytes = high.freeBytesOn(space.totalBytes());
        Level level = space.usableBytes() < highBytes ? Level.FULL
                : space.usableBytes() < lowBytes ? Level.LOW : Level.OK;
        return new Reading(level, space.totalBytes(), space.usableBytes(), lowBytes, highBytes);
    }

    private void report(Reading r) {
        switch (r.level()) {
            case OK -> log.info("disk space is back above the low watermark ({} free): new data is taken",
                    mb(r.usableBytes()));
            case LOW -> log.warn("disk space is below the low watermark ({}): {} free of {}; new data is refused below {} "
                    + "free", low, mb(r.usableBytes()), mb(r.totalBytes()), mb(r.highBytes()));
            case FULL -> log.error("disk space is below the high watermark ({}): {} free of {}; refusing new data (507) "
                    + "until deletes or an operator free some; deletes are still taken", high, mb(r.usableBytes()),
                    mb(r.totalBytes()));
        }
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "unknown" : (bytes / (1024 * 1024)) + " MB";
    }
}
