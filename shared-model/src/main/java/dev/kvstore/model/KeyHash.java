package dev.kvstore.model;

import java.nio.charset.StandardCharsets;

/** Where a key (or a virtual node) sits on the ring: the first 64 bits of MurmurHash3 of its UTF-8 bytes. */
public final class KeyHash {

    private KeyHash() {
    }

    public static long of(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    public static long of(byte[] utf8) {
        return Murmur3.hash64(utf8);
    }
}
