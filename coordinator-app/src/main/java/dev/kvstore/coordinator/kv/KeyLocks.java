package dev.kvstore.coordinator.kv;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One read/write lock per key in use, created on demand and dropped when its last holder leaves, so
 * different keys never contend and idle keys cost nothing.
 */
final class KeyLocks {

    private static final class Entry {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        int users;
    }

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration timeout;

    KeyLocks(Duration timeout) {
        this.timeout = timeout;
    }

    Held exclusive(String key) {
        return acquire(key, true);
    }

    Held shared(String key) {
        return acquire(key, false);
    }

    private Held acquire(String key, boolean exclusive) {
        Entry entry = entries.compute(key, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        Lock lock = exclusive ? entry.lock.writeLock() : entry.lock.readLock();
        boolean locked = false;
        try {
            locked = lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            leave(key);
            throw new KeyBusyException(key, timeout);
        }
        return () -> {
            lock.unlock();
            leave(key);
        };
    }

    private void leave(String key) {
        entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
    }

    int size() {
        return entries.size();
    }
}
