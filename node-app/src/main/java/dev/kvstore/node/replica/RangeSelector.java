package dev.kvstore.node.replica;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.KeyHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A union of ring arcs ({@link HashRange}) that answers "is this key's hash in any of them" with a
 * binary search, so selecting from a table costs O(keys x log ranges) however many arcs a ring change
 * produces. Built by {@link #of}, which also checks the list.
 */
public final class RangeSelector {

    /** More arcs than any ring change needs (512 positions per node), few enough for one log record. */
    public static final int MAX_RANGES = 65_536;

    // Disjoint, sorted, inclusive intervals [starts[i], ends[i]] of signed longs.
    private final long[] starts;
    private final long[] ends;

    private RangeSelector(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * The union of {@code ranges}; an empty list selects nothing.
     *
     * @throws InvalidRangeException when the list or one of its arcs is missing, or there are more than
     *                               {@link #MAX_RANGES}
     */
    public static RangeSelector of(List<HashRange> ranges) {
        if (ranges == null) {
            throw new InvalidRangeException("ranges is required: a list of {fromExclusive, toInclusive} arcs of the ring"
                    + " (an empty list selects nothing; {fromExclusive: 0, toInclusive: 0} is the whole ring)");
        }
        if (ranges.size() > MAX_RANGES) {
            throw new InvalidRangeException("there are " + ranges.size() + " ranges; the limit is " + MAX_RANGES);
        }
        List<long[]> intervals = new ArrayList<>(ranges.size() + 1);
        for (int i = 0; i < ranges.size(); i++) {
            HashRange range = ranges.get(i);
            if (range == null) {
                throw new InvalidRangeException("ranges[" + i + "] is null; every range needs fromExclusive and toInclusive");
            }
            long from = range.fromExclusive();
            long to = range.toInclusive();
            if (from == to) {
                intervals.add(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
            } else if (from < to) {
                intervals.add(new long[] {from + 1, to});
            } else {
                if (from != Long.MAX_VALUE) {
                    intervals.add(new long[] {from + 1, Long.MAX_VALUE});
                }
                intervals.add(new long[] {Long.MIN_VALUE, to});
            }
        }
        intervals.sort(Comparator.comparingLong(interval -> interval[0]));
        long[] starts = new long[intervals.size()];
        long[] ends = new long[intervals.size()];
        int n = 0;
        for (long[] interval : intervals) {
            // Merge overlapping or adjacent intervals (ends[n - 1] + 1 cannot overflow unless it is MAX,
            // in which case everything after is covered already).
            if (n > 0 && (ends[n - 1] == Long.MAX_VALUE || interval[0] <= ends[n - 1] + 1)) {
                ends[n - 1] = Math.max(ends[n - 1], interval[1]);
            } else {
                starts[n] = interval[0];
                ends[n] = interval[1];
                n++;
            }
        }
        return new RangeSelector(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
    }

    public boolean contains(long hash) {
        int i = Arrays.binarySearch(starts, hash);
        if (i >= 0) {
            return true;
        }
        int before = -i - 2;
        return before >= 0 && hash <= ends[before];
    }

    public boolean containsKey(String key) {
        return contains(KeyHash.of(key));
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }
}
