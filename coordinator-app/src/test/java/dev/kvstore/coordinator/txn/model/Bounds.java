package dev.kvstore.coordinator.txn.model;

/**
 * What keeps the state space finite, and which faults are in play.
 *
 * @param coordinatorCrashes crashes of the coordinator (each followed at once by a restart with a new term)
 * @param replicaCrashes     crashes of each replica (each followed at once by a restart from its log)
 * @param timerRounds        rounds of questions each replica's in-doubt timer may start
 * @param duplicates         whether a message may be delivered a second time (each at most twice)
 * @param takeoverMayMiss    whether a restarted coordinator's takeover may fail to tell a replica its
 *                           term (today it serves anyway); false: every replica hears it before it serves
 */
public record Bounds(int coordinatorCrashes, int replicaCrashes, int timerRounds, boolean duplicates,
                     boolean takeoverMayMiss) {

    /** One crash of each party, two timer rounds per replica, duplicates, any takeover. */
    public static final Bounds DEFAULT = new Bounds(1, 1, 2, true, true);

    public Bounds withTakeoverReachingEveryReplica() {
        return new Bounds(coordinatorCrashes, replicaCrashes, timerRounds, duplicates, false);
    }

    public Bounds withoutCoordinatorCrashes() {
        return new Bounds(0, replicaCrashes, timerRounds, duplicates, takeoverMayMiss);
    }
}
