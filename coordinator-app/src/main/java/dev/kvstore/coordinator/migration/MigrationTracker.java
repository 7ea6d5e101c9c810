package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.membership.MigrationStatus;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ring change in progress has done: its phase and keys, as {@link MigrationStatus} shows them
 * on {@code GET /nodes} and the health endpoint, and the node calls it needs and has made, for the
 * metrics. Written by the rebalancer under its lock; read by anyone.
 */
final class MigrationTracker {

    private final AtomicLong keysMoved = new AtomicLong();
    // Steps of the change in progress (cleanups, copies, moves, the cut-over, drops); 0 of 0 when idle.
    private final AtomicLong stepsDone = new AtomicLong();
    private volatile long stepsTotal;
    private volatile MigrationStatus status = MigrationStatus.idle(null);

    MigrationStatus status() {
        return status;
    }

    long stepsTotal() {
        return stepsTotal;
    }

    long stepsDone() {
        return stepsDone.get();
    }

    long keysMoved() {
        return keysMoved.get();
    }

    /** A change starts being planned; it will take {@code steps} node calls. */
    void begin(String change, Instant started, long steps) {
        keysMoved.set(0);
        stepsDone.set(0);
        stepsTotal = steps;
        status = new MigrationStatus(change, "planning", 0, 0, started, null);
    }

    /** The change enters {@code phase}, with {@code keysToMove} to carry in all. */
    void phase(String phase, long keysToMove) {
        MigrationStatus now = status;
        status = new MigrationStatus(now.change(), phase, keysToMove, keysMoved.get(), now.startedAt(), null);
    }

    /** The change enters {@code phase}, its keys to move as counted. */
    void phase(String phase) {
        phase(phase, status.keysToMove());
    }

    /** One node call done, having carried {@code keys}. */
    void stepDone(long keys) {
        keysMoved.addAndGet(keys);
        stepsDone.incrementAndGet();
    }

    /** No change in progress; {@code lastError} says why the last attempt failed, if it did. */
    void idle(String lastError) {
        status = MigrationStatus.idle(lastError);
        stepsTotal = 0;
        stepsDone.set(0);
    }
}
