package dev.kvstore.model;

import java.util.Locale;

/**
 * Every way a node refuses or fails a call: the one error vocabulary between coordinator and node.
 * A node answers an error either as a whole HTTP response (an RFC 9457 problem whose {@code type} is
 * {@link #type()} and whose status is {@link #status()}) or, inside a batch, as one message's
 * {@code error}; the node maps its exceptions to these once, and the coordinator maps these to its
 * own exceptions once. Names are the wire form: add values, never rename one.
 */
public enum NodeError {

    /** The message cannot succeed as sent (key, table, transaction id, version, range, ring, batch size). */
    INVALID_REQUEST(400, "Invalid request", 0),
    /** The value is larger than the node takes. */
    VALUE_TOO_LARGE(413, "Value too large", 0),
    /** The table holds no value under the key (a read's answer, not a failure of the node). */
    KEY_NOT_FOUND(404, "Key not found", 0),
    /** A commit of a transaction never prepared here. */
    UNKNOWN_TRANSACTION(404, "Unknown transaction", 0),
    /** A read of a key that a transaction in doubt holds, or of a table being rebuilt: read the other copy. */
    KEY_IN_DOUBT(409, "Key in doubt", 0),
    /** A commit of a transaction aborted here, or an abort of one committed here. */
    TRANSACTION_DECIDED(409, "Transaction already decided", 0),
    /** The sender's coordinator term is older than one the node has seen: it no longer leads. */
    STALE_TERM(409, "Stale coordinator term", 0),
    /** The call names another node than the one listening at this address. */
    WRONG_NODE(421, "Wrong node", 0),
    /** The node's write-ahead log cannot make records durable now. */
    STORAGE_UNAVAILABLE(503, "Storage unavailable", 5),
    /** A range copy's source could not be reached or did not answer; retrying may help. */
    RANGE_SOURCE_UNAVAILABLE(503, "Range source unavailable", 1),
    /** A range copy's source answered with an error or a broken stream. */
    RANGE_SOURCE_FAILED(502, "Range source failed", 0),
    /** The node is stopping. */
    SHUTTING_DOWN(503, "Shutting down", 1),
    /** The node failed in a way it did not expect; its log says why. */
    INTERNAL(500, "Node failure", 0);

    private static final String TYPE_PREFIX = "urn:kvstore:problem:";

    private final int status;
    private final String title;
    private final int retryAfterSeconds;
    private final String type;

    NodeError(int status, String title, int retryAfterSeconds) {
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
        this.type = TYPE_PREFIX + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The HTTP status of a whole response refused with this error. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem {@code type} of a whole response refused with this error. */
    public String type() {
        return type;
    }

    /** A {@code Retry-After} for the whole response, in seconds; 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The error whose {@link #type()} is {@code type}; null for another or none (Spring's own refusals). */
    public static NodeError ofType(String type) {
        if (type == null || !type.startsWith(TYPE_PREFIX)) {
            return null;
        }
        for (NodeError error : values()) {
            if (error.type.equals(type)) {
                return error;
            }
        }
        return null;
    }
}
