package dev.kvstore.model;

/**
 * The answer to one {@link TxnMessage}: the HTTP status its single endpoint would have answered, with
 * the vote (prepare), the transaction's state (commit, abort) or, for any status but 200, the detail.
 */
public record TxnReply(int status, Vote vote, TxnStatus outcome, String detail) {

    public static TxnReply voted(Vote vote) {
        return new TxnReply(200, vote, null, null);
    }

    public static TxnReply decided(TxnStatus outcome) {
        return new TxnReply(200, null, outcome, null);
    }

    public static TxnReply failed(int status, String detail) {
        return new TxnReply(status, null, null, detail);
    }

    public boolean ok() {
        return status == 200;
    }
}
