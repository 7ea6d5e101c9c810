package dev.kvstore.model;

/**
 * A node announcing itself to the coordinator: its stable id, the base URL it serves on, the last ring
 * it was told about (null when it has never been told one), and its instance token.
 *
 * @param instanceToken random, generated once with the node's data directory and kept there next to its
 *                      id: it shows that a registration from a new URL comes from the same node restarted,
 *                      not from a second node configured with the same id. Null from nodes that predate it.
 */
public record NodeRegistration(String id, String url, RingView lastRing, String instanceToken) {

    public NodeRegistration(String id, String url) {
        this(id, url, null, null);
    }

    public NodeRegistration(String id, String url, String instanceToken) {
        this(id, url, null, instanceToken);
    }

    public NodeRegistration withLastRing(RingView ring) {
        return new NodeRegistration(id, url, ring, instanceToken);
    }
}
