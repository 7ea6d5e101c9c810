package dev.kvstore.node.participant;

import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.node.replica.Prepared;
import dev.kvstore.node.replica.Replica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves transactions left in doubt past the decision timeout by asking, through the
 * {@link DecisionTransport}, the coordinator and then the peer; never by deciding alone.
 */
public final class InDoubtResolver {

    private static final Logger log = LoggerFactory.getLogger(InDoubtResolver.class);
    /** A transaction that stays in doubt is reported when first found so, then at most this often. */
    private static final Duration STILL_IN_DOUBT_EVERY = Duration.ofMinutes(1);

    private final Participant participant;
    private final Replica replica;
    private final DecisionTransport transport;
    private final Duration decisionTimeout;
    private final Clock clock;

    public InDoubtResolver(Participant participant, Replica replica, DecisionTransport transport,
                           Duration decisionTimeout, Clock clock) {
        this.participant = participant;
        this.replica = replica;
        this.transport = transport;
        this.decisionTimeout = decisionTimeout;
        this.clock = clock;
    }

    /**
     * Resolves every transaction prepared longer than the decision timeout, by the rules in this package's
     * documentation: the coordinator's decision if it has one (its abort only while this replica is not yet
     * settling with its peer); otherwise, after forcing a mark that makes this replica refuse the coordinator's
     * abort, its peer's answer, which is final (a peer that prepared commits, one that never did aborts).
     * When that cannot be known yet (coordinator unreachable and peer unreachable, or a prepare logged
     * without its version whose peer is in doubt too), the key stays held and the next call asks again.
     * Returns how many were resolved.
     */
    public int resolveInDoubt() {
        Instant deadline = clock.instant().minus(decisionTimeout);
        int resolved = 0;
        for (Prepared entry : List.copyOf(replica.pendingWrites())) {
            if (entry.outcome() == null && !entry.since().isAfter(deadline) && resolve(entry)) {
                resolved++;
            }
        }
        return resolved;
    }

    private boolean resolve(Prepared entry) {
        String txId = entry.txId();
        Optional<TxnStatus> coordinator = transport.askCoordinator(txId);
        if (coordinator.isPresent()) {
            TxnStatus answer = coordinator.get();
            switch (answer.state()) {
                case COMMITTED -> {
                    return settle(entry, TxnState.COMMITTED, answer.version(), "the coordinator");
                }
                case ABORTED -> {
                    if (!entry.resolving()) {
                        return settle(entry, TxnState.ABORTED, 0, "the coordinator");
                    }
                    // Settling with the peer already: the peer may have committed on our word.
                }
                case PREPARED -> {
                    return false;
                }
                case UNKNOWN -> {
                    // The coordinator no longer drives it (it restarted, or another leads): the peer settles it.
                }
            }
        }
        boolean resolving = entry.version() > 0; // a prepare without its version is never committed on a peer's word
        if (resolving && !participant.markResolving(entry)) {
            return entry.outcome() != null;
        }
        boolean everyPeerAnswered = true;
        boolean peerForgot = false;
        for (String peer : entry.request().peers()) {
            Optional<TxnStatus> answer = transport.inquirePeer(peer, txId, resolving, entry.version());
            if (answer.isEmpty()) {
                everyPeerAnswered = false;
                continue;
            }
            switch (answer.get().state()) {
                case COMMITTED -> {
                    return settle(entry, TxnState.COMMITTED, answer.get().version(), "peer " + peer);
                }
                case ABORTED -> {
                    return settle(entry, TxnState.ABORTED, 0, "peer " + peer);
                }
                case PREPARED -> {
                    // In doubt too, with a prepare logged without its version: keep asking.
                }
                case UNKNOWN -> peerForgot = true; // it may have decided and forgotten: neither outcome is safe
            }
        }
        Instant now = clock.instant();
        Instant reported = entry.reportedStillInDoubt();
        if (reported == null || !now.isBefore(reported.plus(STILL_IN_DOUBT_EVERY))) {
            entry.reportedStillInDoubt(now);
            if (peerForgot) {
                log.warn("nodeId={} txId={} still in doubt (key {}): the coordinator {} and the peer may have decided "
                        + "it and forgotten the outcome (it was prepared longer ago than kv.participant.outcome-retention). "
                        + "Settle it on the coordinator: GET /nodes/{}/transactions, then POST /nodes/{}/transactions/{} "
                        + "with the outcome the peer's copy of the key shows (README, \"Transactions in doubt\")",
                        replica.nodeId(), txId, entry.request().key(),
                        coordinator.isPresent() ? "does not know it" : "is unreachable", replica.nodeId(),
                        replica.nodeId(), txId);
            } else {
                log.info("nodeId={} txId={} still in doubt (key {}): coordinator {}, peers {}", replica.nodeId(), txId,
                        entry.request().key(), coordinator.isPresent() ? "does not know it" : "unreachable",
                        everyPeerAnswered ? "in doubt" : "not all reachable");
            }
        }
        return false;
    }

    private boolean settle(Prepared entry, TxnState decision, long version, String source) {
        try {
            participant.decide(entry.txId(), decision, version, true, false);
            log.info("nodeId={} txId={} resolved after timeout: {} as told by {}", replica.nodeId(), entry.txId(),
                    decision, source);
            return true;
        } catch (TransactionConflictException raced) {
            // Decided by a commit or abort that arrived meanwhile.
            return true;
        }
    }
}
