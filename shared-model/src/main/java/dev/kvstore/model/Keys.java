package dev.kvstore.model;

import java.nio.charset.StandardCharsets;

/** The key rules every part enforces alike. */
public final class Keys {

    public static final int MAX_KEY_BYTES = 1024;

    private Keys() {
    }

    /** Why {@code key} is not a valid key, or {@code null} when it is. */
    public static String problem(String key) {
        return problem(key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8));
    }

    /** Why a key of these UTF-8 bytes is not a valid key, or {@code null} when it is. */
    public static String problem(byte[] utf8) {
        if (utf8.length == 0) {
            return "the key is empty; keys are 1 to " + MAX_KEY_BYTES + " bytes of UTF-8";
        }
        if (utf8.length > MAX_KEY_BYTES) {
            return "the key is " + utf8.length + " bytes of UTF-8; the limit is " + MAX_KEY_BYTES;
        }
        return null;
    }
}
