package dev.kvstore.node.participant;

import dev.kvstore.model.TxnStatus;
import java.util.Optional;

/** How a participant in doubt asks others for a transaction's outcome. */
public interface DecisionTransport {

    /**
     * Reaches nobody: every question goes unanswered, so a transaction in doubt stays in doubt. For a
     * participant with no coordinator and no peers (tests, tools).
     */
    DecisionTransport UNREACHABLE = new DecisionTransport() {
        @Override
        public Optional<TxnStatus> askCoordinator(String txId) {
            return Optional.empty();
        }

        @Override
        public Optional<TxnStatus> inquirePeer(String peer, String txId, boolean resolving, long version) {
            return Optional.empty();
        }
    };

    /**
     * The coordinator's knowledge of the transaction: COMMITTED or ABORTED when decided, PREPARED
     * while still in flight, UNKNOWN when it has no record of it (it restarted, or never started
     * it). Empty when the coordinator cannot be reached.
     */
    Optional<TxnStatus> askCoordinator(String txId);

    /**
     * Asks a peer participant for its answer ({@link Participant#inquire}): it records an abort first if it
     * does not know {@code txId} and cannot have committed it and forgotten it (so it can no longer vote yes on
     * a late prepare), or answers UNKNOWN when it may have; and it records a commit if it prepared it and the
     * asker is {@code resolving}. Empty when the peer cannot be reached or found.
     *
     * @param peer     the peer as the prepare named it: a node id, found wherever it runs now, or (in logs
     *                 written before peers were named by id) an absolute http(s) base URL, used as it is
     * @param resolving the asker prepared the transaction and durably marked itself settling it (it refuses
     *                 the coordinator's abort from now on)
     * @param version  the version the asker prepared the write at; 0 when its log did not keep it
     */
    Optional<TxnStatus> inquirePeer(String peer, String txId, boolean resolving, long version);
}
