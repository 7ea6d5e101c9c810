package dev.kvstore.node.replica;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals a replica whose log failed, without a restart: each {@link #tick} (a timer's), if the log refuses
 * appends and the disk has room again, rebuilds the replica from its disk ({@link Replica#reopenLog})
 * and tells whoever must know ({@code healed}: the coordinator, which puts the node back in the write path
 * and hands back what it missed). A disk still full is waited for, not tried: reopening onto it would fail
 * again at the next write.
 */
public final class LogRepair {

    private static final Logger log = LoggerFactory.getLogger(LogRepair.class);

    private final WriteAheadLog wal;
    private final Replica replica;
    private final BooleanSupplier roomOnDisk;
    private final Runnable healed;
    private final LogThrottle throttle;

    public LogRepair(WriteAheadLog wal, Replica replica, BooleanSupplier roomOnDisk, Runnable healed, Clock clock) {
        this.wal = wal;
        this.replica = replica;
        this.roomOnDisk = roomOnDisk;
        this.healed = healed;
        this.throttle = new LogThrottle(clock, 1, Duration.ofSeconds(30));
    }

    /** Tries once; returns whether the log takes appends after it. */
    public boolean tick() {
        if (wal.isWritable()) {
            return true;
        }
        if (!roomOnDisk.getAsBoolean()) {
            if (throttle.admit().log()) {
                log.warn("nodeId={} its log failed and its disk is below the high watermark: waiting for free space "
                        + "before reopening the log", replica.nodeId());
            }
            return false;
        }
        try {
            replica.reopenLog();
        } catch (IOException | RuntimeException e) {
            LogThrottle.Admission admission = throttle.admit();
            if (admission.log()) {
                log.warn("nodeId={} could not reopen its failed log yet: {}{}", replica.nodeId(), e.toString(),
                        admission.heldBack());
            }
            return false;
        }
        healed.run();
        return true;
    }
}
