package dev.kvstore.model;

import java.nio.charset.StandardCharsets;

/**
 * A valid key, checked, encoded and hashed once where a request enters, so the layers below neither
 * validate, encode nor hash it again. Only {@link #of} makes one, so every instance keeps the
 * {@link Keys} rules and its hash matches its bytes. Equal when the text is.
 */
public final class Key {

    private final String text;
    private final byte[] utf8;
    private final long hash;

    private Key(String text, byte[] utf8, long hash) {
        this.text = text;
        this.utf8 = utf8;
        this.hash = hash;
    }

    /** @throws InvalidKeyException when {@code text} breaks the key rules; the message says which */
    public static Key of(String text) {
        byte[] utf8 = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        String problem = Keys.problem(utf8);
        if (problem != null) {
            throw new InvalidKeyException(problem);
        }
        return new Key(text, utf8, KeyHash.of(utf8));
    }

    /** The key as the client sent it, percent-decoded. */
    public String text() {
        return text;
    }

    /** Its UTF-8 bytes, 1 to {@link Keys#MAX_KEY_BYTES}; shared, not to be modified. */
    public byte[] utf8() {
        return utf8;
    }

    /** Its ring position, {@link KeyHash#of(byte[])} of {@link #utf8()}. */
    public long hash() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
