package dev.kvstore.node.replica;

import dev.kvstore.model.Murmur3;
import dev.kvstore.model.TxnState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The outcomes a replica remembers: every decision, for the outcome retention, so millions under load.
 * An id in canonical UUID form (the coordinator's, see {@link TxIds}) is held flat, as four longs in a
 * striped open-addressing table: its two halves, the version, and the state with the decision's
 * millisecond. That is 32 bytes and no object per outcome, where a map entry took three objects and 96
 * bytes, so a lookup touches one or two cache lines and the collector has nothing to trace. Any other
 * id stays in a map of its own.
 *
 * <p>Each stripe is a linear-probing table, at most three quarters full, guarded by its own monitor (the
 * sections are a few loads long). There are many stripes so that each stays small: a million outcomes
 * take 64 KB arrays, far below the size at which G1 gives an array regions of its own. Pruning deletes
 * in place, shifting later entries of a run back so no lookup ever needs a deletion marker, and shrinks
 * a stripe left less than an eighth full to the fewest slots that leave it at most half full.
 */
public final class OutcomeTable {

    private static final int STRIPES = 1024;
    private static final int STRIPE_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(STRIPES);
    private static final int LONGS = 4;
    private static final int HIGH = 0;
    private static final int LOW = 1;
    private static final int VERSION = 2;
    /** The state's ordinal plus one above {@link #STATE_SHIFT}, the decision's epoch millisecond below; 0: empty. */
    private static final int META = 3;
    private static final int STATE_SHIFT = 56;
    private static final long MILLIS_MASK = (1L << STATE_SHIFT) - 1;
    private static final int INITIAL_SLOTS = 16;
    private static final TxnState[] STATES = TxnState.values();

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final ConcurrentHashMap<String, Outcome> others = new ConcurrentHashMap<>();

    private static final class Stripe {
        long[] slots = new long[INITIAL_SLOTS * LONGS];
        int size;
    }

    public OutcomeTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Remembers {@code outcome} for {@code txId}, replacing what was remembered for it. */
    public void put(String txId, Outcome outcome) {
        if (!TxIds.isCanonicalUuid(txId)) {
            others.put(txId, outcome);
            return;
        }
        long high = TxIds.high(txId);
        long low = TxIds.low(txId);
        long hash = hash(high, low);
        long meta = meta(outcome);
        Stripe stripe = stripeOf(high, low);
        synchronized (stripe) {
            int slot = find(stripe.slots, high, low, hash);
            if (stripe.slots[slot * LONGS + META] == 0) {
                if ((stripe.size + 1) * 4L > slotsOf(stripe.slots) * 3L) {
                    stripe.slots = resized(stripe.slots, slotsOf(stripe.slots) * 2);
                    slot = find(stripe.slots, high, low, hash);
                }
                stripe.size++;
            }
            long[] slots = stripe.slots;
            int at = slot * LONGS;
            slots[at + HIGH] = high;
            slots[at + LOW] = low;
            slots[at + VERSION] = outcome.version();
            slots[at + META] = meta;
        }
    }

    /** The outcome remembered for {@code txId}, or null. */
    public Outcome get(String txId) {
        if (!TxIds.isCanonicalUuid(txId)) {
            return others.get(txId);
        }
        long high = TxIds.high(txId);
        long low = TxIds.low(txId);
        long hash = hash(high, low);
        Stripe stripe = stripeOf(high, low);
        synchronized (stripe) {
            long[] slots = stripe.slots;
            int at = find(slots, high, low, hash) * LONGS;
            long meta = slots[at + META];
            return meta == 0 ? null : outcome(slots[at + VERSION], meta);
        }
    }

    public int size() {
        int size = others.size();
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                size += stripe.size;
            }
        }
        return size;
    }

    /**
     * Forgets the outcomes decided before {@code cutoff}, handing each forgotten commit's version to {@code
     * forgottenCommit} before it goes; returns how many were forgotten.
     */
    public int prune(Instant cutoff, LongConsumer forgottenCommit) {
        long cutoffMillis = Outcome.millisRoundedUp(cutoff);
        int pruned = 0;
        for (Iterator<Outcome> it = others.values().iterator(); it.hasNext(); ) {
            Outcome outcome = it.next();
            if (outcome.decidedAtMillis() < cutoffMillis) {
                if (outcome.state() == TxnState.COMMITTED) {
                    forgottenCommit.accept(outcome.version());
                }
                it.remove();
                pruned++;
            }
        }
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                int forgotten = prune(stripe.slots, cutoffMillis, forgottenCommit);
                stripe.size -= forgotten;
                pruned += forgotten;
                int slots = slotsOf(stripe.slots);
                if (slots > INITIAL_SLOTS && stripe.size * 8L < slots) {
                    int fewer = INITIAL_SLOTS;
                    while (fewer < stripe.size * 2) {
                        fewer <<= 1;
                    }
                    stripe.slots = resized(stripe.slots, fewer);
                }
            }
        }
        return pruned;
    }

    public void clear() {
        others.clear();
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                stripe.slots = new long[INITIAL_SLOTS * LONGS];
                stripe.size = 0;
            }
        }
    }

    /**
     * A copy of every outcome, flat (32 bytes each), for a snapshot to write as {@link LogRecord.Decided}
     * records after its capture; consistent when no outcome is added or pruned meanwhile (the caller ensures that).
     */
    public Captured capture() {
        List<long[]> copies = new ArrayList<>(STRIPES);
        int size = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                long[] copy = new long[stripe.size * LONGS];
                long[] slots = stripe.slots;
                int to = 0;
                for (int at = 0; at < slots.length; at += LONGS) {
                    if (slots[at + META] != 0) {
                        System.arraycopy(slots, at, copy, to, LONGS);
                        to += LONGS;
                    }
                }
                copies.add(copy);
                size += stripe.size;
            }
        }
        return new Captured(copies, List.copyOf(others.entrySet()), size + others.size());
    }

    /** Outcomes as a snapshot captured them. */
    public static final class Captured implements Iterable<LogRecord.Decided> {
        private final List<long[]> flat;
        private final List<Map.Entry<String, Outcome>> others;
        private final int size;

        private Captured(List<long[]> flat, List<Map.Entry<String, Outcome>> others, int size) {
            this.flat = flat;
            this.others = others;
            this.size = size;
        }

        public int size() {
            return size;
        }

        /** Each outcome as the record a snapshot writes, built as it is asked for. */
        @Override
        public Iterator<LogRecord.Decided> iterator() {
            return new Iterator<>() {
                private int stripe;
                private int at;
                private int other;

                @Override
                public boolean hasNext() {
                    while (stripe < flat.size() && at >= flat.get(stripe).length) {
                        stripe++;
                        at = 0;
                    }
                    return stripe < flat.size() || other < others.size();
                }

                @Override
                public LogRecord.Decided next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    if (stripe < flat.size()) {
                        long[] slots = flat.get(stripe);
                        Outcome outcome = outcome(slots[at + VERSION], slots[at + META]);
                        String txId = TxIds.text(slots[at + HIGH], slots[at + LOW]);
                        at += LONGS;
                        return new LogRecord.Decided(txId, outcome.state(), outcome.version(), outcome.decidedAt());
                    }
                    Map.Entry<String, Outcome> entry = others.get(other++);
                    Outcome outcome = entry.getValue();
                    return new LogRecord.Decided(entry.getKey(), outcome.state(), outcome.version(), outcome.decidedAt());
                }
            };
        }
    }

    // ---- the flat table -------------------------------------------------------------------

    /** The slot holding the id, or the empty slot where it would go. */
    private static int find(long[] slots, long high, long low, long hash) {
        int mask = slotsOf(slots) - 1;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            int at = slot * LONGS;
            if (slots[at + META] == 0 || (slots[at + HIGH] == high && slots[at + LOW] == low)) {
                return slot;
            }
        }
    }

    private static long[] resized(long[] slots, int count) {
        long[] copy = new long[count * LONGS];
        for (int at = 0; at < slots.length; at += LONGS) {
            if (slots[at + META] != 0) {
                int slot = find(copy, slots[at + HIGH], slots[at + LOW], hash(slots[at + HIGH], slots[at + LOW]));
                System.arraycopy(slots, at, copy, slot * LONGS, LONGS);
            }
        }
        return copy;
    }

    /**
     * Deletes in place the entries decided before {@code cutoffMillis}. The scan starts after an empty slot,
     * so no run of entries wraps past its start; a deletion shifts later entries of the run back, and the
     * slot is looked at again, so every entry is looked at, some twice (harmlessly), and the slot the scan
     * started from stays empty.
     */
    private static int prune(long[] slots, long cutoffMillis, LongConsumer forgottenCommit) {
        int count = slotsOf(slots);
        int mask = count - 1;
        int start = 0;
        while (slots[start * LONGS + META] != 0) {
            start++;
        }
        int pruned = 0;
        for (int step = 1; step < count; step++) {
            int slot = (start + step) & mask;
            long meta;
            while ((meta = slots[slot * LONGS + META]) != 0 && (meta & MILLIS_MASK) < cutoffMillis) {
                if (state(meta) == TxnState.COMMITTED) {
                    forgottenCommit.accept(slots[slot * LONGS + VERSION]);
                }
                delete(slots, slot, mask);
                pruned++;
            }
        }
        return pruned;
    }

    /** Linear probing's deletion: each later entry of the run that may sit in the hole moves there. */
    private static void delete(long[] slots, int slot, int mask) {
        int hole = slot;
        for (int next = (slot + 1) & mask; slots[next * LONGS + META] != 0; next = (next + 1) & mask) {
            int at = next * LONGS;
            int home = (int) hash(slots[at + HIGH], slots[at + LOW]) & mask;
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(slots, at, slots, hole * LONGS, LONGS);
                hole = next;
            }
        }
        Arrays.fill(slots, hole * LONGS, hole * LONGS + LONGS, 0);
    }

    private static int slotsOf(long[] slots) {
        return slots.length / LONGS;
    }

    /**
     * The stripe: ids that differ only in their last 8 bits share one, so a coordinator's consecutive ids
     * (they end in a counter) find their stripe's slots in the cache, prepare after prepare; random ids
     * spread as evenly either way.
     */
    private Stripe stripeOf(long high, long low) {
        return stripes[(int) (Murmur3.fmix64(high ^ (low >>> 8) * 0x9E3779B97F4A7C15L) >>> STRIPE_SHIFT)];
    }

    /** The slot's hash, mixed over both halves: ids need not be random (the coordinator's end in a counter). */
    private static long hash(long high, long low) {
        return Murmur3.fmix64(high ^ Long.rotateLeft(low, 32) * 0x9E3779B97F4A7C15L);
    }

    private static long meta(Outcome outcome) {
        long millis = Math.clamp(outcome.decidedAtMillis(), 0, MILLIS_MASK);
        return (long) (outcome.state().ordinal() + 1) << STATE_SHIFT | millis;
    }

    private static TxnState state(long meta) {
        return STATES[(int) (meta >>> STATE_SHIFT) - 1];
    }

    private static Outcome outcome(long version, long meta) {
        return new Outcome(state(meta), version, meta & MILLIS_MASK);
    }
}
