package dev.kvstore.coordinator.nodeclient;

/** A node could not be reached, timed out, or answered with a server error. */
public class NodeUnavailableException extends RuntimeException {

    private final String url;

    public NodeUnavailableException(String url, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    public String url() {
        return url;
    }
}
