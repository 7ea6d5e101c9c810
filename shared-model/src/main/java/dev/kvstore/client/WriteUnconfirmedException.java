package dev.kvstore.client;

/**
 * 504 to a write: the coordinator decided to commit it and some replica has not confirmed yet. The outcome
 * is open to the caller: the coordinator keeps completing the write, so it normally takes effect, but a
 * read right now may or may not see it. Do not treat it as failed.
 */
public class WriteUnconfirmedException extends ErrorResponseException {

    public WriteUnconfirmedException(String request, Problem problem) {
        super(request, 504, problem);
    }
}
