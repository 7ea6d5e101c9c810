package dev.kvstore.coordinator.membership;

/** A heartbeat from a node that was removed from the cluster ({@code DELETE /nodes/{id}}). */
public class NodeRemovedException extends RuntimeException {

    public NodeRemovedException(String id) {
        super("node '" + id + "' was removed from the cluster; stop its process (a restarted node registers again)");
    }
}
