package dev.kvstore.node.participant;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * @param decisionTimeout    how long a prepared transaction waits for commit or abort before the
 *                           participant goes asking for the outcome
 * @param outcomeRetention   how long decided outcomes are remembered for retries and peers' questions;
 *                           must well exceed the peers' decision timeout
 * @param maxValueBytes      the largest value a prepare may carry
 * @param tombstoneRetention how long a deletion is remembered (to refuse an older write of the key that
 *                           arrives later: a copy from a stale replica, a late commit); forgotten at the
 *                           first snapshot after that
 * @param roomForNewData     whether the disk has room for a new value (false below its high watermark:
 *                           a PUT then votes no with {@link dev.kvstore.model.Vote#NO_SPACE}; deletes go on)
 */
public record ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes,
                                 Duration tombstoneRetention, BooleanSupplier roomForNewData) {

    /** The default tombstone retention: a day. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(1);

    public ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes) {
        this(decisionTimeout, outcomeRetention, maxValueBytes, DEFAULT_TOMBSTONE_RETENTION);
    }

    /** Options for a disk that always has room. */
    public ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes,
                              Duration tombstoneRetention) {
        this(decisionTimeout, outcomeRetention, maxValueBytes, tombstoneRetention, () -> true);
    }
}
