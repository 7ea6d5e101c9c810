package dev.kvstore.client;

/**
 * A 4xx other than 412 and 413: the request was wrong (a malformed header, an unknown node, ...);
 * the problem's detail says what to fix. Nothing was written.
 */
public class BadRequestException extends ErrorResponseException {

    public BadRequestException(String request, int status, Problem problem) {
        super(request, status, problem);
    }
}
