package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;

/** The calls a node makes to the coordinator's membership API. */
public interface CoordinatorClient {

    enum Result {
        OK,
        /** The coordinator answered that it does not know this node. */
        UNKNOWN_NODE,
        /** The coordinator removed this node from the cluster: stop until restarted. */
        REMOVED,
        /** The coordinator refused this node's signature (401): its cluster secret differs. */
        UNAUTHORIZED,
        /** The coordinator has another node UP under this id (409): retry slowly, it may go away. */
        ID_IN_USE,
        /** No answer, or an error. */
        FAILED
    }

    Result register(NodeRegistration registration);

    /** A heartbeat carrying the node's state: whether it can write, and whether its disk has room. */
    Result heartbeat(String nodeId, NodeHeartbeat state);
}
