package dev.kvstore.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through; asking for the next one fails with
 * {@link BodyTooLargeException} after reading just that one byte more from the source.
 */
public final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        requireWithinLimit();
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        requireWithinLimit();
        // Never ask the source for more than one byte past the limit.
        long allowed = limit - count + 1;
        int n = super.read(b, off, (int) Math.min(len, Math.max(allowed, 0)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        requireWithinLimit();
        long skipped = super.skip(Math.min(n, limit - count + 1));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void requireWithinLimit() throws BodyTooLargeException {
        if (count > limit) {
            throw new BodyTooLargeException(limit);
        }
    }

    private void count(long n) throws BodyTooLargeException {
        count += n;
        if (count > limit) {
            throw new BodyTooLargeException(limit);
        }
    }
}
