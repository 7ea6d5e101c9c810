package dev.kvstore.model;

/**
 * How the coordinators' leader term travels on coordinator-to-node calls. Every {@code /internal} call
 * the leader makes carries its Raft term as the query parameter {@value #PARAMETER} (a positive whole
 * number), which the cluster signature covers. A node remembers the highest term it has seen, durably,
 * and refuses an older one with {@code 409} and a problem of type {@link NodeError#STALE_TERM} whose
 * {@code currentTerm} member (and header {@value #CURRENT_TERM_HEADER}) is the node's term: the sender is
 * no longer the leader, or the coordinators lost the log their terms came from. Calls without the
 * parameter (node to node, operators) are not checked.
 *
 * <p>A call also names the node it is meant for as {@value #NODE_PARAMETER} (the id the sender found at
 * that URL; the leader's calls and a peer's inquiries do). Any other node refuses it before doing anything,
 * with {@code 421 Misdirected Request} and a problem of type {@link NodeError#WRONG_NODE}: after a restart a
 * node listens on a new port, and its old one may already serve another node.
 */
public final class CoordinatorTerm {

    /** The query parameter carrying the sending leader's term. */
    public static final String PARAMETER = "term";

    /** The problem member holding the highest term the refusing node has seen. */
    public static final String CURRENT_TERM = "currentTerm";

    /** The same term as a response header on the refusal, readable without parsing the body. */
    public static final String CURRENT_TERM_HEADER = "X-Kv-Current-Term";

    /** The query parameter naming the node a call is meant for. */
    public static final String NODE_PARAMETER = "node";

    private CoordinatorTerm() {
    }
}
