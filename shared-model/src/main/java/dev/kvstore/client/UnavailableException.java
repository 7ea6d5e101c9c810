package dev.kvstore.client;

import java.time.Duration;
import java.util.Optional;

/**
 * 503: the key's replicas cannot serve the request now (a node is down and its data not yet
 * re-replicated, the ring is forming, a range is moving, the key is busy); nothing was written. Try again
 * after {@link #retryAfter()}.
 */
public class UnavailableException extends ErrorResponseException {

    private final Duration retryAfter;

    public UnavailableException(String request, Problem problem, Duration retryAfter) {
        super(request, 503, problem);
        this.retryAfter = retryAfter;
    }

    /** The answer's {@code Retry-After}, when it had a readable one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
