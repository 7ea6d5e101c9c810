package dev.kvstore.coordinator.txn;

import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.NodeRemovedException;
import dev.kvstore.coordinator.membership.UnknownNodeException;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeRejectedException;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's way out for a transaction a node cannot settle by itself (its peer was removed for
 * good, so nobody can say whether it committed): list what a node holds in doubt, and decide one. The
 * operator decides; this only refuses a decision that contradicts the one this coordinator recorded,
 * and picks a commit's version above what the node holds for the key.
 */
public final class InDoubtSettlement {

    private static final Logger log = LoggerFactory.getLogger(InDoubtSettlement.class);

    /** {@code GET <node>/internal/txn}; throws {@link NodeUnavailableException} when the node cannot answer. */
    @FunctionalInterface
    public interface NodeTransactions {
        List<InDoubtTransaction> inDoubt(String url);
    }

    /** Runs a change to a key's value made outside a client write so that reads and the cache see it whole. */
    @FunctionalInterface
    public interface KeyChange {
        void run(String key, Runnable change);
    }

    private final Membership membership;
    private final TxnRegistry registry;
    private final VersionClock versions;
    private final NodeClient participants;
    private final NodeTransactions nodes;
    private final KeyChange keyChange;

    public InDoubtSettlement(Membership membership, TxnRegistry registry, VersionClock versions,
                             NodeClient participants, NodeTransactions nodes, KeyChange keyChange) {
        this.membership = membership;
        this.registry = registry;
        this.versions = versions;
        this.participants = participants;
        this.nodes = nodes;
        this.keyChange = keyChange;
    }

    /** The node's transactions in doubt, oldest first. */
    public List<InDoubtTransaction> inDoubt(String nodeId) {
        return nodes.inDoubt(urlOf(nodeId));
    }

    /**
     * Decides {@code txId} on the node as the operator says: ABORTED, or COMMITTED with a version above
     * what the node holds for the key (the version this coordinator decided, if it did).
     */
    public TxnStatus settle(String nodeId, String txId, TxnState outcome) {
        if (outcome != TxnState.COMMITTED && outcome != TxnState.ABORTED) {
            throw new InvalidSettlementException("outcome must be COMMITTED or ABORTED, got " + outcome);
        }
        String url = urlOf(nodeId);
        InDoubtTransaction txn = nodes.inDoubt(url).stream().filter(t -> t.txId().equals(txId)).findFirst()
                .orElseThrow(() -> new NotInDoubtException(nodeId, txId));
        TxnStatus known = registry.status(txId);
        if (known.state() == TxnState.PREPARED) {
            throw new SettlementConflictException("transaction " + txId + " is still being decided by this "
                    + "coordinator; node " + nodeId + " will learn the outcome by itself");
        }
        if (known.state() != TxnState.UNKNOWN && known.state() != outcome) {
            throw new SettlementConflictException("this coordinator decided transaction " + txId + " "
                    + known.state() + "; it cannot be settled " + outcome);
        }
        long version = outcome == TxnState.ABORTED ? 0
                : known.state() == TxnState.COMMITTED ? known.version() : versions.next(txn.currentVersion());
        keyChange.run(txn.key(), () -> {
            try {
                if (outcome == TxnState.COMMITTED) {
                    participants.commit(url, txId, version);
                } else {
                    participants.abort(url, txId);
                }
            } catch (NodeRejectedException raced) {
                throw new SettlementConflictException("node " + nodeId + " refused to settle transaction " + txId
                        + " " + outcome + " (decided meanwhile?): " + raced.getMessage());
            }
        });
        log.warn("nodeId={} txId={} settled {} by an operator: {} {} in {}{}", nodeId, txId, outcome, txn.op(),
                txn.key(), txn.table(), outcome == TxnState.COMMITTED ? " at version " + version : "");
        return new TxnStatus(txId, outcome, version);
    }

    private String urlOf(String nodeId) {
        Member member = membership.member(nodeId).orElseThrow(() -> membership.isRemoved(nodeId)
                ? new NodeRemovedException(nodeId, "its transactions went with it")
                : new UnknownNodeException(nodeId, "GET /nodes lists the nodes"));
        if (member.url() == null) {
            throw new NodeUnavailableException(null, "node " + nodeId + " has not registered since this coordinator "
                    + "started; retry once it has", null);
        }
        return member.url();
    }
}
