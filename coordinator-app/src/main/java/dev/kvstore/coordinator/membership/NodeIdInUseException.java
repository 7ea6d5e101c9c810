package dev.kvstore.coordinator.membership;

/** A registration for a node id that another node, at another URL, holds while UP. */
public class NodeIdInUseException extends RuntimeException {

    private final String url;

    public NodeIdInUseException(String id, String url) {
        super("node id already in use by " + url + ": node '" + id + "' is UP there, and this registration does not "
                + "carry that node's instance token (kept in its data directory). Give this node another id, or stop "
                + "the other one: its id is free again once it is DOWN");
        this.url = url;
    }

    public String url() {
        return url;
    }
}
