package dev.kvstore.model;

import java.nio.charset.StandardCharsets;

/** The key rules every part enforces alike. */
public final class Keys {

    public static final int MAX_KEY_BYTES = 1024;

    private Keys() {
    }

    /** Why {@code key} is not a valid key, or {@code null} when it is. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "the key is empty; keys are 1 to " + MAX_KEY_BYTES + " bytes of UTF-8";
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return "the key is " + bytes + " bytes of UTF-8; the limit is " + MAX_KEY_BYTES;
        }
        return null;
    }
}
