package dev.kvstore.e2e.history;

/**
 * What a quiet read of one key returned after the run, once no client was writing any more.
 *
 * @param value   the value, or {@code null} when the key was absent (404)
 * @param version the version from the ETag; ignored when {@code value} is {@code null}
 */
public record FinalRead(String value, long version) {

    /** The key was absent (404). */
    public static FinalRead absent() {
        return new FinalRead(null, 0);
    }

    /** The key held {@code value} at {@code version}. */
    public static FinalRead of(String value, long version) {
        return new FinalRead(value, version);
    }

    public boolean isAbsent() {
        return value == null;
    }
}
