package dev.kvstore.client;

/** 413: the value is over the coordinator's size limit (the detail names it); nothing was written. */
public class ValueTooLargeException extends ErrorResponseException {

    public ValueTooLargeException(String request, Problem problem) {
        super(request, 413, problem);
    }
}
