package dev.kvstore.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a request body whole, up to a limit: one rule for the apps' bodies read by hand. */
public final class RequestBodies {

    /** Bodies declared at most this long get a buffer of exactly their size at once; longer ones grow as they arrive. */
    private static final int SIZED_UP_TO = 64 * 1024;

    private RequestBodies() {
    }

    /**
     * The body's bytes, reading at most one past {@code max}: a result longer than {@code max} means the
     * body is. A small body of declared length ({@code declaredLength} ≥ 0) is read into one array of its
     * size, where {@link InputStream#readNBytes(int)} would fill a 16 KB buffer first and copy it.
     */
    public static byte[] readAtMost(InputStream in, long declaredLength, long max) throws IOException {
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, max + 1);
        if (declaredLength >= 0 && declaredLength < limit && declaredLength <= SIZED_UP_TO) {
            byte[] body = new byte[(int) declaredLength];
            int read = in.readNBytes(body, 0, body.length);
            return read == body.length ? body : Arrays.copyOf(body, read);
        }
        return in.readNBytes(limit);
    }
}
