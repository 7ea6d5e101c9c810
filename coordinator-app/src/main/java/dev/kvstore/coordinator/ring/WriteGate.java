package dev.kvstore.coordinator.ring;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.Key;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps requests and migrations apart. Every request holds the gate's shared side while it routes
 * and runs; a migration briefly takes the exclusive side to drain the requests in flight when it
 * starts blocking arcs and when it publishes the new ring. Writes to blocked arcs wait until the
 * migration ends (or their timeout); everything else goes on. From the first move between a node's
 * tables until the cut-over, reads of the moving arcs wait too: the old ring still routes them to the
 * table their keys are leaving.
 */
public final class WriteGate {

    /** A request's hold on the gate; closing releases it. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ReentrantLock monitor = new ReentrantLock();
    private final Condition unblocked = monitor.newCondition();
    private volatile List<HashRange> blocked = List.of();
    private volatile List<HashRange> readsBlocked = List.of();

    /** For a read: waits only while the key's arc moves between tables, and for a cut-over in progress. */
    public Pass read(Key key, Duration timeout) {
        return pass(key, timeout, true);
    }

    /** For a write to {@code key}: waits while the key's arc is moving; throws when that outlasts the timeout. */
    public Pass write(Key key, Duration timeout) {
        return pass(key, timeout, false);
    }

    private Pass pass(Key key, Duration timeout, boolean read) {
        long hash = key.hash();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            gate.readLock().lock();
            if (!isBlocked(hash, read)) {
                return gate.readLock()::unlock;
            }
            gate.readLock().unlock();
            monitor.lock();
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RangeMovingException(key.text(), timeout);
                }
                if (isBlocked(hash, read)) {
                    unblocked.await(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RangeMovingException(key.text(), timeout);
            } finally {
                monitor.unlock();
            }
        }
    }

    /** Blocks writes to these arcs and waits until the requests already in flight are done. */
    public void block(List<HashRange> arcs) {
        blocked = List.copyOf(arcs);
        gate.writeLock().lock();
        gate.writeLock().unlock();
    }

    /** Blocks reads of these arcs too and waits until the requests already in flight are done. */
    public void blockReads(List<HashRange> arcs) {
        readsBlocked = List.copyOf(arcs);
        gate.writeLock().lock();
        gate.writeLock().unlock();
    }

    /** Runs {@code change} with no request in flight (the cut-over to a new ring). */
    public void exclusively(Runnable change) {
        gate.writeLock().lock();
        try {
            change.run();
        } finally {
            gate.writeLock().unlock();
        }
    }

    public void unblock() {
        monitor.lock();
        try {
            blocked = List.of();
            readsBlocked = List.of();
            unblocked.signalAll();
        } finally {
            monitor.unlock();
        }
    }

    private boolean isBlocked(long hash, boolean read) {
        for (HashRange arc : read ? readsBlocked : blocked) {
            if (arc.contains(hash)) {
                return true;
            }
        }
        return false;
    }
}
