package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    private record Entry(TxnState state, long version, Set<Replica> unacknowledged, Instant decidedAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> transactions = new ConcurrentHashMap<>();

    public TxnRegistry(Clock clock) {
        this.clock = clock;
    }

    public void begin(String txId) {
        transactions.put(txId, new Entry(TxnState.PREPARED, 0, Set.of(), null));
    }

    /** Records the decision; from now on every node asking is told it. */
    public void decide(String txId, TxnState decision, long version, List<Replica> replicas) {
        Set<Replica> unacknowledged = ConcurrentHashMap.newKeySet(replicas.size());
        unacknowledged.addAll(replicas);
        transactions.put(txId, new Entry(decision, version, unacknowledged, clock.instant()));
    }

    /** A replica confirmed the decision; the transaction is forgotten once all have. */
    public void acknowledged(String txId, Replica replica) {
        Entry entry = transactions.get(txId);
        if (entry != null && entry.state() != TxnState.PREPARED) {
            entry.unacknowledged().remove(replica);
            if (entry.unacknowledged().isEmpty()) {
                transactions.remove(txId, entry);
            }
        }
    }

    public TxnStatus status(String txId) {
        Entry entry = transactions.get(txId);
        return entry == null ? TxnStatus.of(txId, TxnState.UNKNOWN) : new TxnStatus(txId, entry.state(), entry.version());
    }

    /** Decisions still waiting for acknowledgements. */
    public List<Pending> pending() {
        return transactions.entrySet().stream()
                .filter(e -> e.getValue().state() != TxnState.PREPARED)
                .map(e -> new Pending(e.getKey(), e.getValue().state(), e.getValue().version(),
                        List.copyOf(e.getValue().unacknowledged()), e.getValue().decidedAt()))
                .toList();
    }

    /**
     * Drops aborts older than {@code age} that some replica never acknowledged: that replica, if it
     * prepared at all, will hear UNKNOWN and abort as well. Commits are never dropped.
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
