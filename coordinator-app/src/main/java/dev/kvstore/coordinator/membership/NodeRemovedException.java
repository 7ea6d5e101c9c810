package dev.kvstore.coordinator.membership;

/** A heartbeat from a node that was removed from the cluster ({@code DELETE /nodes/{id}}). */
public class NodeRemovedException extends RuntimeException {

    public NodeRemovedException(String id) {
        this(id, "stop its process (a restarted node registers again)");
    }

    public NodeRemovedException(String id, String whatItMeans) {
        super("node '" + id + "' was removed from the cluster; " + whatItMeans);
    }
}
