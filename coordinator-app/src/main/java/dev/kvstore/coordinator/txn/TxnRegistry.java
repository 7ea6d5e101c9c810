package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's memory of transactions: in flight (PREPARED) until decided, then the decision
 * until every replica acknowledged it. This is what nodes in doubt are told; a transaction not here
 * is one this coordinator does not drive (UNKNOWN), so a node may presume it aborted.
 */
public final class TxnRegistry {

    /** A decided transaction some replicas have not acknowledged yet. */
    public record Pending(String txId, TxnState decision, long version, List<Replica> unacknowledged,
                          Instant decidedAt) {
    }

    /**
     * A transaction: in flight, or decided. For a decision, {@code open} holds a bit per replica (by its
     * place in {@code replicas}): bit i while replica i has not acknowledged it, bit 32 + i while the
     * deciding thread is still sending it there itself. Two sets' worth of state in one word, as this is
     * made and dropped for every write.
     */
    private record Entry(TxnState state, long version, List<Replica> replicas, AtomicLong open, Instant decidedAt) {

        private static final long UNACKNOWLEDGED = 0xFFFF_FFFFL;
        private static final int DELIVERING = 32;

        void clear(Replica replica, int offset) {
            int i = replicas.indexOf(replica);
            if (i >= 0) {
                open.getAndUpdate(bits -> bits & ~(1L << (offset + i)));
            }
        }

        boolean acknowledgedByAll() {
            return (open.get() & UNACKNOWLEDGED) == 0;
        }

        /** Replicas that have not acknowledged and that the deciding thread no longer sends to. */
        List<Replica> toResend() {
            long bits = open.get();
            long resend = bits & UNACKNOWLEDGED & ~(bits >>> DELIVERING);
            List<Replica> out = new ArrayList<>(Long.bitCount(resend));
            for (int i = 0; i < replicas.size(); i++) {
                if ((resend & 1L << i) != 0) {
                    out.add(replicas.get(i));
                }
            }
            return out;
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> transactions = new ConcurrentHashMap<>();

    public TxnRegistry(Clock clock) {
        this.clock = clock;
    }

    public void begin(String txId) {
        transactions.put(txId, new Entry(TxnState.PREPARED, 0, List.of(), new AtomicLong(), null));
    }

    /**
     * Records the decision; from now on every node asking is told it. The caller sends it to every
     * replica and says {@link #attemptEnded} for each; until then a replica is not {@link #pending()}.
     */
    public void decide(String txId, TxnState decision, long version, List<Replica> replicas) {
        if (replicas.size() > Entry.DELIVERING) {
            throw new IllegalArgumentException("at most " + Entry.DELIVERING + " replicas, not " + replicas.size());
        }
        long all = (1L << replicas.size()) - 1;
        transactions.put(txId, new Entry(decision, version, List.copyOf(replicas),
                new AtomicLong(all | all << Entry.DELIVERING), clock.instant()));
    }

    /** The deciding thread's own delivery to {@code replica} is over, acknowledged or not. */
    public void attemptEnded(String txId, Replica replica) {
        Entry entry = transactions.get(txId);
        if (entry != null) {
            entry.clear(replica, Entry.DELIVERING);
        }
    }

    /** A replica confirmed the decision; the transaction is forgotten once all have. */
    public void acknowledged(String txId, Replica replica) {
        Entry entry = transactions.get(txId);
        if (entry != null && entry.state() != TxnState.PREPARED) {
            entry.clear(replica, 0);
            if (entry.acknowledgedByAll()) {
                transactions.remove(txId, entry);
            }
        }
    }

    public TxnStatus status(String txId) {
        Entry entry = transactions.get(txId);
        return entry == null ? TxnStatus.of(txId, TxnState.UNKNOWN) : new TxnStatus(txId, entry.state(), entry.version());
    }

    /**
     * Decisions still waiting for acknowledgements, each with the replicas to re-send it to: those that
     * have not acknowledged it and that the deciding thread is no longer sending it to (re-sending while
     * its own message is in flight would only send it twice).
     */
    public List<Pending> pending() {
        List<Pending> pending = new ArrayList<>();
        transactions.forEach((txId, entry) -> {
            if (entry.state() != TxnState.PREPARED) {
                List<Replica> resend = entry.toResend();
                if (!resend.isEmpty()) {
                    pending.add(new Pending(txId, entry.state(), entry.version(), resend, entry.decidedAt()));
                }
            }
        });
        return pending;
    }

    /**
     * Drops aborts older than {@code age} that some replica never acknowledged: that replica, if it
     * prepared at all, will hear UNKNOWN and settle with its peer (which may have forgotten it too, after
     * its own outcome retention: then an operator settles it). Commits are never dropped.
     */
    public int forgetAbortsOlderThan(Duration age) {
        Instant cutoff = clock.instant().minus(age);
        int before = transactions.size();
        transactions.values().removeIf(e -> e.state() == TxnState.ABORTED && e.decidedAt().isBefore(cutoff));
        return before - transactions.size();
    }

    public int size() {
        return transactions.size();
    }

    /** Transactions prepared and not decided yet. */
    public long undecided() {
        return transactions.values().stream().filter(e -> e.state() == TxnState.PREPARED).count();
    }

    /** Transactions decided {@code decision} that some replica has not acknowledged: still being re-sent. */
    public long unacknowledged(TxnState decision) {
        return transactions.values().stream().filter(e -> e.state() == decision).count();
    }
}
