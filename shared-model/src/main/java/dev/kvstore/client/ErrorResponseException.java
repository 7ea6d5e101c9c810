package dev.kvstore.client;

import java.util.Objects;

/**
 * The coordinator answered with an error status; {@link #problem()} has its problem details. Thrown as
 * is for statuses without a subclass of their own (a 500, say).
 */
public class ErrorResponseException extends KvClientException {

    private final int status;
    private final Problem problem;

    public ErrorResponseException(String request, int status, Problem problem) {
        super(request + " -> " + Objects.requireNonNull(problem, "problem").summary());
        this.status = status;
        this.problem = problem;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The answer's problem details. */
    public Problem problem() {
        return problem;
    }
}
