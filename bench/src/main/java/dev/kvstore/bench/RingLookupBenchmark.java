package dev.kvstore.bench;

import dev.kvstore.coordinator.ring.HashRing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What routing one request costs the coordinator: {@link HashRing#preferenceList(String, int)} for the
 * key's two replicas (as {@code KvService} asks), split into its two halves, the key's hash
 * (MurmurHash3 of its UTF-8 bytes) and the lookup of an already hashed key (a binary search over the
 * ring's positions and a walk to the next distinct node).
 *
 * <p>Rings of 3 and of 16 nodes ({@code node-1} ..), each with {@link HashRing#DEFAULT_VIRTUAL_NODES}
 * (512, {@code kv.membership.virtual-nodes}) positions per node: 1,536 and 8,192 positions. Each call
 * takes the next of 10,000 keys {@code hot/k0} .. {@code hot/k9999} in a shuffled order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RingLookupBenchmark {

    private static final int KEYS = 10_000;
    /** {@code KvService.REPLICAS}: a key lives on its primary and the next node. */
    private static final int REPLICAS = 2;

    @Param({"3", "16"})
    int nodes;

    private HashRing ring;
    private String[] keys;
    private long[] hashes;
    private int next;

    @Setup
    public void setUp() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("node-" + i);
        }
        ring = HashRing.of(ids, HashRing.DEFAULT_VIRTUAL_NODES);
        List<String> shuffled = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            shuffled.add("hot/k" + i);
        }
        Collections.shuffle(shuffled, new Random(7));
        keys = shuffled.toArray(new String[0]);
        hashes = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            hashes[i] = HashRing.hash(keys[i]);
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == KEYS ? 0 : i + 1;
        return i;
    }

    /** The whole routing step: hash and lookup. */
    @Benchmark
    public List<String> preferenceList() {
        return ring.preferenceList(keys[nextIndex()], REPLICAS);
    }

    /** The hash alone. */
    @Benchmark
    public long hash() {
        return HashRing.hash(keys[nextIndex()]);
    }

    /** The lookup alone, from a precomputed hash. */
    @Benchmark
    public List<String> preferenceListOfHash() {
        return ring.preferenceList(hashes[nextIndex()], REPLICAS);
    }
}
