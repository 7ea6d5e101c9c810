package dev.kvstore.coordinator.cache;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed-size cache of {@code sets x ways} entries: a key may live only in the set its hash picks,
 * in any of that set's ways. A full set makes room by second chance (clock): each way has a reference
 * bit, each set a hand; the hand clears and skips referenced ways and evicts the first unreferenced
 * one, then moves past it.
 *
 * <p>Thread-safe without a global lock: each set has its own lock, held only to scan its few ways;
 * the counters are {@link LongAdder}s. Null keys and values are refused ({@code get} returns null for a
 * miss).
 *
 * <p>A new entry starts with its reference bit clear: it must be hit once to earn protection, so keys
 * read once (a scan, a write never read back) go before keys that are actually read again. It is
 * still not the next victim, since the hand has just moved past its way.
 */
public final class SetAssociativeCache<K, V> {

    private final CacheSet[] sets;
    private final int ways;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public SetAssociativeCache(int sets, int ways) {
        if (sets < 1 || ways < 1) {
            throw new IllegalArgumentException("sets and ways must be >= 1, were " + sets + " and " + ways);
        }
        if ((long) sets * ways > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity " + (long) sets * ways + " does not fit an int");
        }
        this.ways = ways;
        this.sets = new CacheSet[sets];
        for (int i = 0; i < sets; i++) {
            this.sets[i] = new CacheSet(ways);
        }
    }

    /** The cached value, or null on a miss. A hit sets the entry's reference bit. */
    public V get(K key) {
        V value = lookup(key);
        (value == null ? misses : hits).increment();
        return value;
    }

    /**
     * Like {@link #get}, but a miss is not counted: for a caller that, on a miss, goes on to a
     * {@link #get} of the same key, so that each read counts once.
     */
    public V getIfHit(K key) {
        V value = lookup(key);
        if (value != null) {
            hits.increment();
        }
        return value;
    }

    private V lookup(K key) {
        CacheSet set = sets[setOf(key)];
        V value;
        set.lock.lock();
        try {
            int way = set.find(key);
            if (way < 0) {
                value = null;
            } else {
                set.referenced[way] = true;
                value = set.value(way);
            }
        } finally {
            set.lock.unlock();
        }
        return value;
    }

    /**
     * Caches the value: in place if the key is present (setting its reference bit), else in a free
     * way, else in the way second chance evicts.
     */
    public void put(K key, V value) {
        Objects.requireNonNull(value, "value");
        CacheSet set = sets[setOf(key)];
        boolean evicted = false;
        set.lock.lock();
        try {
            int way = set.find(key);
            if (way >= 0) {
                set.values[way] = value;
                set.referenced[way] = true;
                return;
            }
            way = set.freeWay();
            if (way < 0) {
                way = set.victim();
                evicted = true;
            } else {
                set.size++;
            }
            set.keys[way] = key;
            set.values[way] = value;
            set.referenced[way] = false;
        } finally {
            set.lock.unlock();
        }
        if (evicted) {
            evictions.increment();
        }
    }

    public void remove(K key) {
        CacheSet set = sets[setOf(key)];
        set.lock.lock();
        try {
            int way = set.find(key);
            if (way >= 0) {
                set.keys[way] = null;
                set.values[way] = null;
                set.referenced[way] = false;
                set.size--;
            }
        } finally {
            set.lock.unlock();
        }
    }

    /** Empties every set (a new leader starts with nothing cached); the counters keep counting. */
    public void clear() {
        for (CacheSet set : sets) {
            set.lock.lock();
            try {
                for (int way = 0; way < ways; way++) {
                    set.keys[way] = null;
                    set.values[way] = null;
                    set.referenced[way] = false;
                }
                set.size = 0;
            } finally {
                set.lock.unlock();
            }
        }
    }

    public CacheStats stats() {
        int size = 0;
        for (CacheSet set : sets) {
            size += set.size; // volatile read of a value in [0, ways]: the sum never exceeds capacity
        }
        return new CacheStats(hits.sum(), misses.sum(), evictions.sum(), size, sets.length * ways);
    }

    /**
     * The set a key maps to. {@code hashCode}s of similar keys often differ only in a few bits (or are
     * multiples of a power of two), so the hash is mixed with Murmur3's 32-bit finalizer before the
     * modulo; every bit of it then affects the set.
     */
    int setOf(K key) {
        int h = key.hashCode(); // NullPointerException for a null key, before any lock is taken
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, sets.length);
    }

    /** The cached value without counting a get or setting the reference bit; for tests. */
    V peek(K key) {
        CacheSet set = sets[setOf(key)];
        set.lock.lock();
        try {
            int way = set.find(key);
            return way < 0 ? null : set.value(way);
        } finally {
            set.lock.unlock();
        }
    }

    /** One set's ways; every field but {@code size} is read and written only under {@code lock}. */
    private static final class CacheSet {
        final ReentrantLock lock = new ReentrantLock();
        final Object[] keys;
        final Object[] values;
        final boolean[] referenced;
        /** The next way the clock hand examines. */
        int hand;
        /** Occupied ways; written under the lock, read without it by {@code stats()}. */
        volatile int size;

        CacheSet(int ways) {
            keys = new Object[ways];
            values = new Object[ways];
            referenced = new boolean[ways];
        }

        int find(Object key) {
            for (int way = 0; way < keys.length; way++) {
                if (key.equals(keys[way])) {
                    return way;
                }
            }
            return -1;
        }

        int freeWay() {
            if (size == keys.length) {
                return -1;
            }
            for (int way = 0; way < keys.length; way++) {
                if (keys[way] == null) {
                    return way;
                }
            }
            throw new IllegalStateException("size " + size + " but no free way");
        }

        /**
         * Sweeps the hand: a referenced way loses its bit and is skipped, the first unreferenced one is
         * the victim and the hand moves past it. Ends within one lap plus one step, since the first
         * lap clears every bit it skips.
         */
        int victim() {
            while (referenced[hand]) {
                referenced[hand] = false;
                hand = next(hand);
            }
            int victim = hand;
            hand = next(hand);
            return victim;
        }

        private int next(int way) {
            return way + 1 == keys.length ? 0 : way + 1;
        }

        @SuppressWarnings("unchecked")
        <V> V value(int way) {
            return (V) values[way];
        }
    }
}
