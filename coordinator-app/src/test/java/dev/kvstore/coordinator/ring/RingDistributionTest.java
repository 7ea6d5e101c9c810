package dev.kvstore.coordinator.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * How evenly 100,000 keys ("key-0".."key-99999") spread as primaries over 3 and over 10 nodes. Prints
 * the table for {@link HashRing#DEFAULT_VIRTUAL_NODES} and a comparison of 64/128/256 positions per
 * node (surefire keeps stdout in {@code target/surefire-reports/*RingDistributionTest-output.txt}).
 *
 * <p>One set of node names can be lucky, so the comparison also takes the worst node over 200
 * clusters with ids like the nodes generate ({@code node-} and 8 hex digits), by exact share of the
 * ring rather than by sampled keys.
 */
class RingDistributionTest {

    private static final int KEYS = 100_000;
    /** Every node's share of primaries must stay within this fraction of the mean, for 3 and 10 nodes. */
    private static final double BOUND = 0.20;
    private static final int RANDOM_CLUSTERS = 200;
    private static final int[] COMPARED = {64, 128, 256, 512};
    private static final long[] KEY_HASHES = keyHashes();

    private static long[] keyHashes() {
        long[] hashes = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            hashes[i] = HashRing.hash("key-" + i);
        }
        return hashes;
    }

    private static List<String> namedNodes(int n) {
        List<String> nodes = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            nodes.add("node-" + i);
        }
        return nodes;
    }

    private static List<String> generatedNodes(int n, Random random) {
        List<String> nodes = new ArrayList<>(n);
        byte[] id = new byte[4];
        while (nodes.size() < n) {
            random.nextBytes(id);
            String node = "node-" + HexFormat.of().formatHex(id);
            if (!nodes.contains(node)) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    private static Map<String, Integer> primaries(HashRing ring) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String node : ring.nodes()) {
            counts.put(node, 0);
        }
        for (long h : KEY_HASHES) {
            counts.merge(ring.primary(h).orElseThrow(), 1, Integer::sum);
        }
        return counts;
    }

    /** Min, max and standard deviation of the counts, each relative to the mean. */
    private record Spread(double min, double max, double stdDev) {
        static Spread of(Map<String, Integer> counts) {
            double mean = (double) KEYS / counts.size();
            double min = Double.MAX_VALUE;
            double max = 0;
            double squares = 0;
            for (int count : counts.values()) {
                min = Math.min(min, count / mean);
                max = Math.max(max, count / mean);
                squares += (count - mean) * (count - mean);
            }
            return new Spread(min, max, Math.sqrt(squares / counts.size()) / mean);
        }

        double worstDeviation() {
            return Math.max(max - 1, 1 - min);
        }
    }

    @Test
    void defaultVirtualNodesKeepEveryNodeWithin20PercentOfTheMeanFor3And10Nodes() {
        for (int n : new int[] {3, 10}) {
            Map<String, Integer> counts = primaries(HashRing.of(namedNodes(n), HashRing.DEFAULT_VIRTUAL_NODES));
            double mean = (double) KEYS / n;
            Spread spread = Spread.of(counts);

            System.out.printf("%n%d nodes, %d virtual nodes each, %,d keys (mean %,.1f per node)%n",
                    n, HashRing.DEFAULT_VIRTUAL_NODES, KEYS, mean);
            System.out.printf("| %-8s | %17s | %10s |%n", "node", "keys as primary", "% of mean");
            System.out.printf("|----------|-------------------|------------|%n");
            counts.forEach((node, count) ->
                    System.out.printf("| %-8s | %,17d | %9.1f%% |%n", node, count, 100 * count / mean));
            System.out.printf("min/max ratio %.3f, std deviation %.1f%% of the mean%n",
                    spread.min() / spread.max(), 100 * spread.stdDev());

            assertThat(counts.values()).as("%d nodes", n).allSatisfy(count ->
                    assertThat(count / mean).isBetween(1 - BOUND, 1 + BOUND));
            assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KEYS);
        }
    }

    /** Each node's exact share of the ring (its arcs' total length over 2^64), relative to the mean share. */
    private static Spread arcShares(HashRing ring) {
        Map<Long, String> positions = ring.positions();
        long[] at = positions.keySet().stream().mapToLong(Long::longValue).toArray();
        String[] owner = positions.values().toArray(String[]::new);
        Map<String, Double> share = new TreeMap<>();
        for (int i = 0; i < at.length; i++) {
            long arc = at[i] - at[i == 0 ? at.length - 1 : i - 1]; // mod 2^64; a lone position owns it all
            double length = arc == 0 ? 0x1p64 : (arc > 0 ? arc : (arc >>> 1) * 2.0);
            share.merge(owner[i], length / 0x1p64, Double::sum);
        }
        Map<String, Integer> asKeys = new TreeMap<>();
        share.forEach((node, fraction) -> asKeys.put(node, (int) Math.round(fraction * KEYS)));
        return Spread.of(asKeys);
    }

    @Test
    void defaultVirtualNodesKeepEveryNodeWithin20PercentOfTheMeanForGeneratedNodeIdsToo() {
        System.out.printf("%nvirtual nodes per node vs spread: node-1..node-N with the %,d keys, and each node's exact ring share%n"
                + "over %d clusters of generated ids (node-xxxxxxxx)%n", KEYS, RANDOM_CLUSTERS);
        System.out.printf("| vnodes | nodes | named: min/max | std dev | worst node | generated: mean std dev | worst node | clusters beyond ±20%% |%n");
        System.out.printf("|--------|-------|----------------|---------|------------|-------------------------|------------|----------------------|%n");
        Map<Integer, Double> worstOfDefault = new TreeMap<>();
        for (int vnodes : COMPARED) {
            for (int n : new int[] {3, 10}) {
                Spread named = Spread.of(primaries(HashRing.of(namedNodes(n), vnodes)));
                Random random = new Random(20240611L + n); // the same clusters for every vnodes value
                double worst = 0;
                double stdDevs = 0;
                int beyond = 0;
                for (int c = 0; c < RANDOM_CLUSTERS; c++) {
                    Spread spread = arcShares(HashRing.of(generatedNodes(n, random), vnodes));
                    worst = Math.max(worst, spread.worstDeviation());
                    stdDevs += spread.stdDev();
                    beyond += spread.worstDeviation() > BOUND ? 1 : 0;
                }
                System.out.printf("| %6d | %5d | %14.3f | %6.1f%% | %9.1f%% | %22.1f%% | %9.1f%% | %20s |%n",
                        vnodes, n, named.min() / named.max(), 100 * named.stdDev(), 100 * named.worstDeviation(),
                        100 * stdDevs / RANDOM_CLUSTERS, 100 * worst, beyond + " of " + RANDOM_CLUSTERS);
                if (vnodes == HashRing.DEFAULT_VIRTUAL_NODES) {
                    worstOfDefault.put(n, worst);
                }
            }
        }

        assertThat(worstOfDefault).as("the default is among those compared").containsOnlyKeys(3, 10);
        assertThat(worstOfDefault.values()).allSatisfy(worst -> assertThat(worst).isLessThanOrEqualTo(BOUND));
    }
}
