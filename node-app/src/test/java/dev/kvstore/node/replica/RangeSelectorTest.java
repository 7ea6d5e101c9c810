package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.HashRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RangeSelectorTest {

    private static final long[] EDGES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    private static boolean anyContains(List<HashRange> ranges, long hash) {
        return ranges.stream().anyMatch(r -> r.contains(hash));
    }

    private static long pick(SplittableRandom random) {
        return random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
    }

    @Test
    void selectsExactlyWhatAnyOfTheRangesContainsIncludingWrapAroundAndEdges() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2_000; round++) {
            List<HashRange> ranges = new ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                long from = pick(random);
                long to = random.nextInt(10) == 0 ? from : pick(random);
                ranges.add(new HashRange(from, to));
            }
            RangeSelector selector = RangeSelector.of(ranges);
            List<Long> probes = new ArrayList<>();
            for (HashRange r : ranges) {
                for (long delta = -1; delta <= 1; delta++) {
                    probes.add(r.fromExclusive() + delta);
                    probes.add(r.toInclusive() + delta);
                }
            }
            for (long edge : EDGES) {
                probes.add(edge);
            }
            for (int i = 0; i < 50; i++) {
                probes.add(random.nextLong());
            }
            for (long hash : probes) {
                assertThat(selector.contains(hash)).as("%s contains %s", ranges, hash)
                        .isEqualTo(anyContains(ranges, hash));
            }
        }
    }

    @Test
    void emptyListSelectsNothingAndAnEqualPairSelectsEverything() {
        assertThat(RangeSelector.of(List.of()).contains(0)).isFalse();
        assertThat(RangeSelector.of(List.of()).isEmpty()).isTrue();
        RangeSelector whole = RangeSelector.of(List.of(new HashRange(5, 5)));
        for (long edge : EDGES) {
            assertThat(whole.contains(edge)).isTrue();
        }
    }

    @Test
    void missingRangesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RangeSelector.of(null)).isInstanceOf(InvalidRangeException.class)
                .hasMessageContaining("ranges is required");
        assertThatThrownBy(() -> RangeSelector.of(Collections.singletonList(null)))
                .isInstanceOf(InvalidRangeException.class).hasMessageContaining("ranges[0] is null");
        assertThatThrownBy(() -> RangeSelector.of(Collections.nCopies(RangeSelector.MAX_RANGES + 1, new HashRange(1, 2))))
                .isInstanceOf(InvalidRangeException.class).hasMessageContaining("limit is " + RangeSelector.MAX_RANGES);
    }
}
