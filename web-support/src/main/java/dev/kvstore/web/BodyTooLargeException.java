package dev.kvstore.web;

import java.io.IOException;

/**
 * A request body went past the limit while it was being read (a chunked body, or one longer than
 * its Content-Length said). An {@link IOException} so that it travels through whatever was reading.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
