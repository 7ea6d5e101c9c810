package dev.kvstore.coordinator.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SetAssociativeCacheTest {

    /** A key whose hashCode the test chooses, to put keys in a set of its choosing. */
    private record Key(String name, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static <K> Set<K> present(SetAssociativeCache<K, ?> cache, List<K> universe) {
        return universe.stream().filter(k -> cache.peek(k) != null).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Puts the key and returns the one key of {@code universe} that left the cache, or null if none did. */
    private static String putAndReportEviction(SetAssociativeCache<String, Integer> cache, String key, List<String> universe) {
        Set<String> before = present(cache, universe);
        cache.put(key, 1);
        Set<String> gone = new LinkedHashSet<>(before);
        gone.removeAll(present(cache, universe));
        assertThat(gone).as("evicted by put(%s)", key).hasSizeLessThanOrEqualTo(1);
        return gone.isEmpty() ? null : gone.iterator().next();
    }

    private static <K> K keyInSet(SetAssociativeCache<K, ?> cache, int set, Function<Integer, K> keyForHash) {
        for (int h = 0; ; h++) {
            K key = keyForHash.apply(h);
            if (cache.setOf(key) == set) {
                return key;
            }
        }
    }

    @Test
    void constructorRejectsFewerThanOneSetOrWay() {
        assertThatThrownBy(() -> new SetAssociativeCache<>(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetAssociativeCache<>(4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetAssociativeCache<>(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SetAssociativeCache<>(1, 1).stats()).isEqualTo(new CacheStats(0, 0, 0, 0, 1));
    }

    @Test
    void nullKeysAndValuesAreRefused() {
        SetAssociativeCache<String, String> cache = new SetAssociativeCache<>(2, 2);

        assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
        assertThat(cache.stats().size()).isZero();
    }

    @Test
    void setOfIsStableForEqualKeysAndWithinRangeForAnyHashCode() {
        SetAssociativeCache<Object, String> cache = new SetAssociativeCache<>(7, 2);

        for (int i = 0; i < 1000; i++) {
            String key = "key-" + i;
            assertThat(cache.setOf(new String(key))).isEqualTo(cache.setOf(key));
        }
        for (int hash : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x80000001}) {
            assertThat(cache.setOf(new Key("k", hash))).isBetween(0, 6);
        }
    }

    @Test
    void similarKeysSpreadWithNoSetGettingMoreThanTwiceItsFairShare() {
        SetAssociativeCache<Object, String> cache = new SetAssociativeCache<>(64, 4);
        int fairShareTimesTwo = 2 * 10_000 / 64;
        // Strings differing in their last characters, and hash codes that are all multiples of the
        // set count (which a plain modulo would put in set 0).
        List<List<Object>> keySets = List.of(
                IntStream.range(0, 10_000).mapToObj(i -> (Object) ("key-" + i)).toList(),
                IntStream.range(0, 10_000).mapToObj(i -> (Object) (i * 64)).toList(),
                IntStream.range(0, 10_000).mapToObj(i -> (Object) (i << 16)).toList());
        for (List<Object> keys : keySets) {
            int[] perSet = new int[64];
            keys.forEach(k -> perSet[cache.setOf(k)]++);

            assertThat(IntStream.of(perSet).max().orElseThrow()).as("fullest set, keys like %s", keys.get(1))
                    .isLessThanOrEqualTo(fairShareTimesTwo);
        }
    }

    @Test
    void fullSetEvictsTheEntryWithoutAReferenceBit() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 3);
        List<String> all = List.of("a", "b", "c", "d");
        cache.put("a", 1);
        cache.put("b", 1);
        cache.put("c", 1);
        cache.get("a");
        cache.get("c");

        assertThat(putAndReportEviction(cache, "d", all)).isEqualTo("b");
        assertThat(present(cache, all)).containsExactlyInAnyOrder("a", "c", "d");
    }

    @Test
    void hitEntrySurvivesOneSweepAndIsEvictedOnTheNextIfNotHitAgain() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        List<String> all = List.of("a", "b", "c", "d");
        cache.put("a", 1);
        cache.put("b", 1);
        cache.get("a");

        assertThat(putAndReportEviction(cache, "c", all)).as("a had its second chance").isEqualTo("b");
        assertThat(putAndReportEviction(cache, "d", all)).as("a's bit was spent").isEqualTo("a");
    }

    @Test
    void hitEntryHitAgainAfterASweepSurvivesTheNextOneToo() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        List<String> all = List.of("a", "b", "c", "d");
        cache.put("a", 1);
        cache.put("b", 1);
        cache.get("a");
        assertThat(putAndReportEviction(cache, "c", all)).isEqualTo("b");
        cache.get("a");

        assertThat(putAndReportEviction(cache, "d", all)).isEqualTo("c");
        assertThat(present(cache, all)).containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void newEntryStartsUnreferencedSoItGoesBeforeOlderEntriesThatWereHit() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 3);
        List<String> all = List.of("a", "b", "c", "d", "e");
        cache.put("a", 1);
        cache.put("b", 1);
        cache.put("c", 1);
        assertThat(putAndReportEviction(cache, "d", all)).isEqualTo("a");
        cache.get("b");
        cache.get("c");

        // Had d started referenced, the hand would clear b, c and d and then evict b.
        assertThat(putAndReportEviction(cache, "e", all)).isEqualTo("d");
    }

    @Test
    void evictionOrderOfOneSetOfFourWaysFollowsTheClockExactly() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 4);
        List<String> all = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
        List<String> evicted = new ArrayList<>();
        for (String k : List.of("a", "b", "c", "d")) {
            assertThat(putAndReportEviction(cache, k, all)).isNull();
        }
        // ways [a b c d], hand at 0
        cache.get("b");
        evicted.add(putAndReportEviction(cache, "e", all)); // a unreferenced: evicted   -> [e b c d], hand 1
        cache.get("e");
        evicted.add(putAndReportEviction(cache, "f", all)); // b: bit cleared; c evicted -> [e b f d], hand 3
        evicted.add(putAndReportEviction(cache, "g", all)); // d evicted                 -> [e b f g], hand 0
        evicted.add(putAndReportEviction(cache, "h", all)); // e: bit cleared; b evicted -> [e h f g], hand 2
        evicted.add(putAndReportEviction(cache, "i", all)); // f evicted                 -> [e h i g], hand 3
        evicted.add(putAndReportEviction(cache, "j", all)); // g evicted                 -> [e h i j], hand 0
        evicted.add(putAndReportEviction(cache, "k", all)); // e, its bit spent, evicted -> [k h i j], hand 1

        assertThat(evicted).containsExactly("a", "c", "d", "b", "f", "g", "e");
        assertThat(present(cache, all)).containsExactlyInAnyOrder("h", "i", "j", "k");
        assertThat(cache.stats().evictions()).isEqualTo(7);
    }

    @Test
    void replacingAPresentKeyUpdatesItInPlaceWithoutEvicting() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("a", 3);

        assertThat(cache.peek("a")).isEqualTo(3);
        assertThat(cache.peek("b")).isEqualTo(2);
        assertThat(cache.stats()).isEqualTo(new CacheStats(0, 0, 0, 2, 2));
    }

    @Test
    void replacingAnEntrySetsItsReferenceBit() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        List<String> all = List.of("a", "b", "c");
        cache.put("a", 1);
        cache.put("b", 1);
        cache.put("a", 2);

        assertThat(putAndReportEviction(cache, "c", all)).isEqualTo("b");
    }

    @Test
    void removeFreesAWaySoTheNextInsertEvictsNothing() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.remove("a");
        cache.remove("absent");

        assertThat(cache.stats().size()).isEqualTo(1);
        cache.put("c", 3);

        assertThat(cache.peek("a")).isNull();
        assertThat(cache.peek("b")).isEqualTo(2);
        assertThat(cache.peek("c")).isEqualTo(3);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.stats()).isEqualTo(new CacheStats(0, 1, 0, 2, 2));
    }

    @Test
    void hitMissAndEvictionCountersAreExact() {
        SetAssociativeCache<String, Integer> cache = new SetAssociativeCache<>(1, 2);
        assertThat(cache.get("a")).isNull();              // miss 1
        cache.put("a", 1);
        assertThat(cache.get("a")).isEqualTo(1);          // hit 1
        assertThat(cache.get("a")).isEqualTo(1);          // hit 2
        cache.put("b", 2);
        cache.put("c", 3);                                // eviction 1 (b)
        assertThat(cache.get("b")).isNull();              // miss 2
        cache.put("b", 2);                                // eviction 2 (a, its bit spent)
        cache.put("b", 4);                                // in place: no eviction
        assertThat(cache.get("b")).isEqualTo(4);          // hit 3
        cache.remove("c");
        assertThat(cache.get("c")).isNull();              // miss 3

        assertThat(cache.stats()).isEqualTo(new CacheStats(3, 3, 2, 1, 2));
    }

    @Test
    void keysInDifferentSetsNeverEvictEachOther() {
        SetAssociativeCache<Key, Integer> cache = new SetAssociativeCache<>(2, 2);
        Key x = keyInSet(cache, 0, h -> new Key("x", h));
        Key y = keyInSet(cache, 0, h -> new Key("y", h));
        cache.put(x, 1);
        cache.put(y, 2);
        cache.get(x);

        for (int i = 0; i < 100; i++) {
            int n = i;
            Key churn = keyInSet(cache, 1, h -> new Key("churn-" + n, h));
            cache.put(churn, i);
            assertThat(cache.peek(x)).isEqualTo(1);
            assertThat(cache.peek(y)).isEqualTo(2);
        }
        assertThat(cache.stats().evictions()).isEqualTo(98);
        assertThat(cache.stats().size()).isEqualTo(4);
    }

    @Test
    void concurrentRandomOpsKeepSizeWithinCapacityAndCountEveryGetOnce() throws Exception {
        SetAssociativeCache<Integer, Long> cache = new SetAssociativeCache<>(4, 4);
        int threads = 8;
        int opsPerThread = 10_000;
        int keys = 100;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<long[]>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = 1000 + t;
            workers.add(() -> {
                Random random = new Random(seed);
                long gets = 0;
                long badValues = 0;
                long oversize = 0;
                start.await();
                for (int op = 0; op < opsPerThread; op++) {
                    int key = random.nextInt(keys);
                    int dice = random.nextInt(10);
                    if (dice < 5) {
                        gets++;
                        Long value = cache.get(key);
                        if (value != null && value / 1_000_000 != key) {
                            badValues++; // a value stored under another key
                        }
                    } else if (dice < 9) {
                        cache.put(key, key * 1_000_000L + op);
                    } else {
                        cache.remove(key);
                    }
                    if (op % 64 == 0 && cache.stats().size() > 16) {
                        oversize++;
                    }
                }
                return new long[] {gets, badValues, oversize};
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> results = new ArrayList<>();
        try {
            workers.forEach(w -> results.add(pool.submit(w)));
            start.countDown();
            long gets = 0;
            for (Future<long[]> result : results) {
                long[] r = result.get(60, TimeUnit.SECONDS);
                gets += r[0];
                assertThat(r[1]).as("values read under the wrong key").isZero();
                assertThat(r[2]).as("stats() above capacity while running").isZero();
            }

            CacheStats stats = cache.stats();
            int held = present(cache, IntStream.range(0, keys).boxed().toList()).size();
            assertThat(stats.hits() + stats.misses()).isEqualTo(gets);
            assertThat(stats.size()).isEqualTo(held).isLessThanOrEqualTo(stats.capacity());
            assertThat(stats.capacity()).isEqualTo(16);
            assertThat(stats.hits()).isPositive();
            assertThat(stats.evictions()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
