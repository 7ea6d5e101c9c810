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
 * @param heldKeyWait        how long a prepare or a read of a key held by an undecided transaction waits for
 *                           its decision (usually a COMMIT on its way: the client was answered at the votes)
 *                           before the prepare votes no ({@link dev.kvstore.model.Vote#LOCKED}) or the read
 *                           is refused as in doubt
 */
public record ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes,
                                 Duration tombstoneRetention, BooleanSupplier roomForNewData, Duration heldKeyWait) {

    /** The default tombstone retention: a day. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(1);
    /** The default wait for a held key's decision. */
    public static final Duration DEFAULT_HELD_KEY_WAIT = Duration.ofMillis(500);

    public ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes,
                              Duration tombstoneRetention, BooleanSupplier roomForNewData) {
        this(decisionTimeout, outcomeRetention, maxValueBytes, tombstoneRetention, roomForNewData, DEFAULT_HELD_KEY_WAIT);
    }

    public ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes) {
        this(decisionTimeout, outcomeRetention, maxValueBytes, DEFAULT_TOMBSTONE_RETENTION);
    }

    /** Options for a disk that always has room. */
    public ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes,
                              Duration tombstoneRetention) {
        this(decisionTimeout, outcomeRetention, maxValueBytes, tombstoneRetention, () -> true);
    }
}
