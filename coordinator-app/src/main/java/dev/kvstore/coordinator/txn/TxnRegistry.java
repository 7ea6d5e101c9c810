package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /** {@code delivering}: replicas the deciding thread is still sending the decision to itself. */
    private record Entry(TxnState state, long version, Set<Replica> unacknowledged, Set<Replica> delivering,
                         Instant decidedAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> transactions = new ConcurrentHashMap<>();

    public TxnRegistry(Clock clock) {
        this.clock = clock;
    }

    public void begin(String txId) {
        transactions.put(txId, new Entry(TxnState.PREPARED, 0, Set.of(), Set.of(), null));
    }

    /**
     * Records the decision; from now on every node asking is told it. The caller sends it to every
     * replica and says {@link #attemptEnded} for each; until then a replica is not {@link #pending()}.
     */
    public void decide(String txId, TxnState decision, long version, List<Replica> replicas) {
        Set<Replica> unacknowledged = ConcurrentHashMap.newKeySet(replicas.size());
        unacknowledged.addAll(replicas);
        Set<Replica> delivering = ConcurrentHashMap.newKeySet(replicas.size());
        delivering.addAll(replicas);
        transactions.put(txId, new Entry(decision, version, unacknowledged, delivering, clock.instant()));
    }

    /** The deciding thread's own delivery to {@code replica} is over, acknowledged or not. */
    public void attemptEnded(String txId, Replica replica) {
        Entry entry = transactions.get(txId);
        if (entry != null) {
            entry.delivering().remove(replica);
        }
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

    /**
     * Decisions still waiting for acknowledgements, each with the replicas to re-send it to: those that
     * have not acknowledged it and that the deciding thread is no longer sending it to (re-sending while
     * its own message is in flight would only send it twice).
     */
    public List<Pending> pending() {
        List<Pending> pending = new ArrayList<>();
        transactions.forEach((txId, entry) -> {
            if (entry.state() != TxnState.PREPARED) {
                List<Replica> resend = entry.unacknowledged().stream().filter(r -> !entry.delivering().contains(r)).toList();
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
