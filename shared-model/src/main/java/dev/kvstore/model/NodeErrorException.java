package dev.kvstore.model;

import java.util.Map;

/**
 * A node's refusal or failure with its {@link NodeError}: the node's exceptions extend this, so that
 * one handler answers a whole request with the error's problem and one catch answers a batched message
 * with it.
 */
public class NodeErrorException extends RuntimeException {

    private final NodeError error;

    public NodeErrorException(NodeError error, String message) {
        this(error, message, null);
    }

    public NodeErrorException(NodeError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public NodeError error() {
        return error;
    }

    /** What the caller is told; the message unless a subclass keeps its internals (files, errors) for the log. */
    public String detail() {
        return getMessage();
    }

    /** Further members of the problem for a whole response (none unless a subclass adds them). */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
