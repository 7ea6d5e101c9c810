package dev.kvstore.client;

/**
 * No answer: the connection was refused, timed out, broke, or the calling thread was interrupted (its
 * interrupt flag is set again). {@link #mayHaveReachedServer()} tells a request that certainly never
 * reached the coordinator (a refused connection: retrying cannot duplicate it) from one that may have
 * taken effect.
 */
public class TransportException extends KvClientException {

    private final boolean mayHaveReachedServer;

    public TransportException(String message, boolean mayHaveReachedServer, Throwable cause) {
        super(message, cause);
        this.mayHaveReachedServer = mayHaveReachedServer;
    }

    /**
     * {@code false} only when the request certainly never reached the coordinator; {@code true} when it may
     * have (timeouts, connections broken after sending): a write's outcome is then unknown.
     */
    public boolean mayHaveReachedServer() {
        return mayHaveReachedServer;
    }
}
