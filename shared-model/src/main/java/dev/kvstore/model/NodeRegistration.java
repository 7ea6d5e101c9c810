package dev.kvstore.model;

/**
 * A node announcing itself to the coordinator: its stable id, the base URL it serves on, and the last
 * ring it was told about (null when it has never been told one).
 */
public record NodeRegistration(String id, String url, RingView lastRing) {

    public NodeRegistration(String id, String url) {
        this(id, url, null);
    }

    public NodeRegistration withLastRing(RingView ring) {
        return new NodeRegistration(id, url, ring);
    }
}
