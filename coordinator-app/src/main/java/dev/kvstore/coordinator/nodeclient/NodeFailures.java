package dev.kvstore.coordinator.nodeclient;

import dev.kvstore.model.NodeError;

/**
 * The coordinator's one reading of a node's {@link NodeError}, for a refused message inside a batch and
 * for a whole refused request alike: what another replica, a later try or a new leader may get past is
 * {@link NodeUnavailableException}; what repeating cannot help is {@link NodeRejectedException}.
 */
final class NodeFailures {

    private NodeFailures() {
    }

    /** @param what the call and the node's detail, for the message */
    static RuntimeException of(String url, NodeError error, String what) {
        String answered = "node at " + url + " answered " + error + " to " + what;
        return switch (error) {
            // Never prepared there (lost with its log, or the address now serves a restarted node), another
            // node at the address, a key in doubt there, or the node failing: the write is in doubt there and
            // the caller reads elsewhere.
            case UNKNOWN_TRANSACTION, WRONG_NODE, KEY_IN_DOUBT, STORAGE_UNAVAILABLE, SHUTTING_DOWN, INTERNAL,
                 RANGE_SOURCE_UNAVAILABLE, RANGE_SOURCE_FAILED -> new NodeUnavailableException(url, answered, null);
            case INVALID_REQUEST, VALUE_TOO_LARGE, KEY_NOT_FOUND, TRANSACTION_DECIDED, STALE_TERM ->
                    new NodeRejectedException(answered);
        };
    }
}
