package dev.kvstore.client;

/** 412: the write's {@link Condition} did not hold; nothing was written. */
public class PreconditionFailedException extends ErrorResponseException {

    public PreconditionFailedException(String request, Problem problem) {
        super(request, 412, problem);
    }
}
