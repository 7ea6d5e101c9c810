package dev.kvstore.client;

/**
 * 504 to a write: its outcome is unknown. It was not committed when answered, but no replica refused it or
 * confirmed its abort (one was unreachable, the other was settling it with its peer), so it may still take
 * effect. Do not treat it as failed: read the key to find out, or write it again.
 */
public class WriteUnconfirmedException extends ErrorResponseException {

    public WriteUnconfirmedException(String request, Problem problem) {
        super(request, 504, problem);
    }
}
