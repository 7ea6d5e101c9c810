package dev.kvstore.node.participant;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/**
 * The coordinator's abort of a transaction this replica is settling with its peer: the peer may commit it on
 * this replica's word, so it is not aborted here unless the peer says so. Asked again, it answers the outcome.
 */
public class ResolvingWithPeerException extends NodeErrorException {

    public ResolvingWithPeerException(String txId) {
        super(NodeError.KEY_IN_DOUBT, "transaction " + txId + " is being settled with the peer replica; "
                + "it cannot be aborted here unless the peer aborted it");
    }
}
