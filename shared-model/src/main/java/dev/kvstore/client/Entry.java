package dev.kvstore.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stored value as {@code GET /kv/{key}} returns it.
 *
 * @param key         the key asked for
 * @param value       the bytes as stored (copied in and out, so an entry never changes)
 * @param contentType the Content-Type it was stored with
 * @param version     its version, from the ETag
 */
public record Entry(String key, byte[] value, String contentType, long version) {

    public Entry {
        Objects.requireNonNull(key, "key");
        value = Objects.requireNonNull(value, "value").clone();
        Objects.requireNonNull(contentType, "contentType");
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8 (what the String overloads of {@link KvClient#put} store). */
    public String asString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && key.equals(e.key) && Arrays.equals(value, e.value)
                && contentType.equals(e.contentType) && version == e.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), contentType, version);
    }

    @Override
    public String toString() {
        return "Entry[key=" + key + ", " + value.length + " bytes, contentType=" + contentType + ", version="
                + version + "]";
    }
}
