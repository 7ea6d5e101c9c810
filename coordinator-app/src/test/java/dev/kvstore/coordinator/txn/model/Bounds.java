package dev.kvstore.coordinator.txn.model;

/**
 * What keeps the state space finite, and which faults are in play.
 *
 * @param coordinatorCrashes crashes of the coordinator (each followed at once by a restart with a new term)
 * @param replicaCrashes     crashes of each replica (each followed at once by a restart from its log)
 * @param timerRounds        rounds of questions each replica's in-doubt timer may start
 * @param timers             how many replicas have an in-doubt timer: 2, or 1 (A only, to keep a larger
 *                           scenario small)
 * @param duplicates         whether a message may be delivered a second time (each at most twice)
 * @param takeoverMayMiss    whether a restarted coordinator's takeover may fail to tell a replica its
 *                           term (today it serves anyway); false: every replica hears it before it serves
 * @param pruning            whether a replica may forget a decided outcome once no call about it can still
 *                           reach it (the outcome retention, modelled as a step that may come at any time)
 */
public record Bounds(int coordinatorCrashes, int replicaCrashes, int timerRounds, int timers, boolean duplicates,
                     boolean takeoverMayMiss, boolean pruning) {

    /** One crash of each party, two timer rounds on each replica, duplicates, any takeover. */
    public static final Bounds DEFAULT = new Bounds(1, 1, 2, 2, true, true);

    /** Without pruning. */
    public Bounds(int coordinatorCrashes, int replicaCrashes, int timerRounds, int timers, boolean duplicates,
                  boolean takeoverMayMiss) {
        this(coordinatorCrashes, replicaCrashes, timerRounds, timers, duplicates, takeoverMayMiss, false);
    }

    public Bounds withTakeoverReachingEveryReplica() {
        return new Bounds(coordinatorCrashes, replicaCrashes, timerRounds, timers, duplicates, false, pruning);
    }

    public Bounds withoutCoordinatorCrashes() {
        return new Bounds(0, replicaCrashes, timerRounds, timers, duplicates, takeoverMayMiss, pruning);
    }

    public Bounds withPruning() {
        return new Bounds(coordinatorCrashes, replicaCrashes, timerRounds, timers, duplicates, takeoverMayMiss, true);
    }
}
