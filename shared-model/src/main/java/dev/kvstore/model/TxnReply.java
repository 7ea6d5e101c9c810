package dev.kvstore.model;

/**
 * The answer to one {@link TxnMessage}: the vote (prepare) or the transaction's state (commit, abort),
 * or the {@link NodeError} that refused it with its detail.
 */
public record TxnReply(Vote vote, TxnStatus outcome, NodeError error, String detail) {

    public static TxnReply voted(Vote vote) {
        return new TxnReply(vote, null, null, null);
    }

    public static TxnReply decided(TxnStatus outcome) {
        return new TxnReply(null, outcome, null, null);
    }

    public static TxnReply failed(NodeError error, String detail) {
        return new TxnReply(null, null, error, detail);
    }

    public boolean ok() {
        return error == null;
    }
}
