package dev.kvstore.coordinator.txn;

/** The node holds no such transaction in doubt: it was settled already, or never prepared there. */
public class NotInDoubtException extends RuntimeException {

    public NotInDoubtException(String nodeId, String txId) {
        super("node " + nodeId + " holds no transaction " + txId + " in doubt (settled already, or never prepared "
                + "there); GET /nodes/" + nodeId + "/transactions lists the ones it holds");
    }
}
