package dev.kvstore.bench;

import dev.kvstore.coordinator.cache.CacheStats;
import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.coordinator.kv.CachedValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Operations per second of the coordinator's read cache, {@link SetAssociativeCache} of
 * {@link CachedValue}s (100-byte values) at its default geometry, 4096 sets x 8 ways
 * ({@code kv.cache.sets}, {@code kv.cache.ways}; 32,768 entries):
 * <ul>
 *   <li>{@code getHit}: keys all resident, 10,000 keys {@code hot/k0} .. (those a set had room for);</li>
 *   <li>{@code getMiss}: 10,000 keys never cached, against a full cache (every way of the set scanned);</li>
 *   <li>{@code putEvict}: keys {@code cold/k0} .. from a key space of 4x the capacity, on a full cache,
 *       taken round in one shuffled order: a key comes back after 4x capacity other puts, long gone, so
 *       nearly every put evicts;</li>
 * </ul>
 * each with one thread and with two ({@code @Threads(2)}: two threads on one cache, its per-set locks
 * shared), and {@code readWrite}: one thread reading the hot keys while another puts cold ones, the
 * coordinator's mix of cached reads (read-through: a miss puts the key back) and writes, second chance
 * keeping the read keys.
 *
 * <p>The cache is filled as the coordinator's would be: first the whole cold key space (full), then the
 * hot keys, each read once. Each benchmark runs in its own fork on a fresh cache. After each
 * iteration the cache's own counters say what happened: the hit rate and evictions.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class CacheBenchmark {

    private static final int SETS = 4096;
    private static final int WAYS = 8;
    private static final int HOT_KEYS = 10_000;
    private static final int COLD_KEYS = 4 * SETS * WAYS;

    /** The cache and the key sets, shared by every thread of a benchmark. */
    @State(Scope.Benchmark)
    public static class Cache {
        SetAssociativeCache<String, CachedValue> cache;
        CachedValue value;
        String[] hot;
        String[] miss;
        String[] cold;
        private final AtomicInteger threads = new AtomicInteger();
        private CacheStats iterationStart;

        @Setup(Level.Trial)
        public void fill() {
            cache = new SetAssociativeCache<>(SETS, WAYS);
            byte[] bytes = new byte[100];
            new Random(1).nextBytes(bytes);
            value = new CachedValue(bytes, "text/plain", 1);
            cold = shuffled("cold/k", COLD_KEYS);
            miss = shuffled("miss/k", HOT_KEYS);
            for (String key : cold) {
                cache.put(key, value);
            }
            String[] candidates = shuffled("hot/k", HOT_KEYS);
            for (String key : candidates) {
                cache.put(key, value);
            }
            // A set that drew more than 8 hot keys (or whose hand came round) kept only some of them.
            List<String> resident = new ArrayList<>(HOT_KEYS);
            for (String key : candidates) {
                if (cache.get(key) != null) {
                    resident.add(key);
                }
            }
            hot = resident.toArray(new String[0]);
            System.out.printf("%n  [cache] %d of %d hot keys resident, %d entries of %d%n",
                    hot.length, HOT_KEYS, cache.stats().size(), cache.stats().capacity());
        }

        /** A different starting point in each key array for each thread, so they do not walk in step. */
        int offset() {
            return threads.getAndIncrement() * 7_919;
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            iterationStart = cache.stats();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            CacheStats now = cache.stats();
            long hits = now.hits() - iterationStart.hits();
            long gets = hits + now.misses() - iterationStart.misses();
            System.out.printf("%n  [cache] this iteration: %d gets, hit rate %.2f%%, %d evictions, %d entries%n",
                    gets, gets == 0 ? 0.0 : 100.0 * hits / gets, now.evictions() - iterationStart.evictions(),
                    now.size());
        }

        private static String[] shuffled(String prefix, int count) {
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(prefix + i);
            }
            Collections.shuffle(keys, new Random(prefix.hashCode()));
            return keys.toArray(new String[0]);
        }
    }

    /** One thread's position in each key array. */
    @State(Scope.Thread)
    public static class Cursor {
        private int hot;
        private int miss;
        private int cold;

        @Setup(Level.Trial)
        public void start(Cache c) {
            int offset = c.offset();
            hot = offset % c.hot.length;
            miss = offset % c.miss.length;
            cold = offset % c.cold.length;
        }

        String hot(String[] keys) {
            hot = next(hot, keys.length);
            return keys[hot];
        }

        String miss(String[] keys) {
            miss = next(miss, keys.length);
            return keys[miss];
        }

        String cold(String[] keys) {
            cold = next(cold, keys.length);
            return keys[cold];
        }

        private static int next(int i, int length) {
            return i + 1 == length ? 0 : i + 1;
        }
    }

    @Benchmark
    @Threads(1)
    public CachedValue getHit(Cache c, Cursor at) {
        return c.cache.get(at.hot(c.hot));
    }

    @Benchmark
    @Threads(2)
    public CachedValue getHit2Threads(Cache c, Cursor at) {
        return getHit(c, at);
    }

    @Benchmark
    @Threads(1)
    public CachedValue getMiss(Cache c, Cursor at) {
        return c.cache.get(at.miss(c.miss));
    }

    @Benchmark
    @Threads(2)
    public CachedValue getMiss2Threads(Cache c, Cursor at) {
        return getMiss(c, at);
    }

    @Benchmark
    @Threads(1)
    public void putEvict(Cache c, Cursor at) {
        c.cache.put(at.cold(c.cold), c.value);
    }

    @Benchmark
    @Threads(2)
    public void putEvict2Threads(Cache c, Cursor at) {
        putEvict(c, at);
    }

    /**
     * The reader of {@code readWrite}: gets of the hot keys while the writer churns, reading through as
     * {@code KvService} does (a miss puts the value back, as if read from the node).
     */
    @Benchmark
    @Group("readWrite")
    @GroupThreads(1)
    public CachedValue readHot(Cache c, Cursor at) {
        String key = at.hot(c.hot);
        CachedValue hit = c.cache.get(key);
        if (hit == null) {
            c.cache.put(key, c.value);
        }
        return hit;
    }

    /** The writer of {@code readWrite}: puts of cold keys, evicting. */
    @Benchmark
    @Group("readWrite")
    @GroupThreads(1)
    public void writeCold(Cache c, Cursor at) {
        c.cache.put(at.cold(c.cold), c.value);
    }
}
