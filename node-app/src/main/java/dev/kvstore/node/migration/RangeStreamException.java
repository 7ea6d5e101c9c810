package dev.kvstore.node.migration;

/**
 * A stream of range entries that ended before its end marker, or held something that is not an entry.
 * Everything before the failure is installed and durable ({@link #installed()} keys), nothing after;
 * repeating the copy completes it, since installing skips what is already there.
 */
public class RangeStreamException extends RuntimeException {

    /** Why the stream stopped. */
    public enum Kind {
        /** It ended, or could not be read on, before its end marker: the source stopped or the connection broke. */
        TRUNCATED,
        /** A frame that is not a valid entry: a different format or a bug at the source; retrying will not help. */
        MALFORMED
    }

    private final Kind kind;
    private final long received;
    private final long installed;

    public RangeStreamException(Kind kind, String message, long received, long installed, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.received = received;
        this.installed = installed;
    }

    public Kind kind() {
        return kind;
    }

    /** Complete entries read before the failure. */
    public long received() {
        return received;
    }

    /** Keys installed (newer than what the table held) before the failure; they stay installed. */
    public long installed() {
        return installed;
    }
}
