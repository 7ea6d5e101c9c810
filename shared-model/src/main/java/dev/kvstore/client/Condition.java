package dev.kvstore.client;

/**
 * A precondition for a write, sent as {@code If-None-Match} or {@code If-Match}; a write whose
 * condition does not hold fails with {@link PreconditionFailedException} and changes nothing.
 */
public final class Condition {

    private static final Condition NONE = new Condition(null, null);
    private static final Condition IF_ABSENT = new Condition("If-None-Match", "*");
    private static final Condition IF_EXISTS = new Condition("If-Match", "*");

    private final String header;
    private final String value;

    private Condition(String header, String value) {
        this.header = header;
        this.value = value;
    }

    /** Unconditional. */
    public static Condition none() {
        return NONE;
    }

    /** Only when the key has no value ({@code If-None-Match: *}): create, never replace. Not for deletes. */
    public static Condition ifAbsent() {
        return IF_ABSENT;
    }

    /** Only when the key has a value, whatever its version ({@code If-Match: *}). */
    public static Condition ifExists() {
        return IF_EXISTS;
    }

    /** Only when the key is at exactly this version ({@code If-Match: "<version>"}): compare-and-set. */
    public static Condition ifVersion(long version) {
        if (version <= 0) {
            throw new IllegalArgumentException("versions are positive, as the coordinator's ETags give them; got "
                    + version);
        }
        return new Condition("If-Match", "\"" + version + "\"");
    }

    /** The request header to send, or {@code null} for {@link #none()}. */
    String header() {
        return header;
    }

    String value() {
        return value;
    }

    boolean isIfAbsent() {
        return this == IF_ABSENT;
    }

    @Override
    public String toString() {
        return header == null ? "none" : header + ": " + value;
    }
}
