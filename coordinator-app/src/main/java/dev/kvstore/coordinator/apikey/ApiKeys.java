package dev.kvstore.coordinator.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured client keys, held only as SHA-256 digests. A presented key is hashed and compared with
 * every digest in constant time ({@link MessageDigest#isEqual}), all of them every time, so neither the
 * answer time nor an early exit tells how much of a key was right or which key was close.
 */
public final class ApiKeys {

    /** One configured key: its name, the SHA-256 of the key, and its scope. */
    public record Digest(String name, byte[] sha256, ApiScope scope) {
    }

    private final List<Digest> digests;

    public ApiKeys(List<Digest> digests) {
        this.digests = List.copyOf(digests);
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    /** The key the presented text is, or empty for an unknown key. */
    public Optional<ApiKey> find(String presented) {
        byte[] hash = sha256(presented);
        Digest match = null;
        for (Digest digest : digests) {
            if (MessageDigest.isEqual(hash, digest.sha256()) && match == null) {
                match = digest;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new ApiKey(match.name(), match.scope()));
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Lower-case hex of the key's SHA-256, as {@code key-sha256} takes it ({@code printf %s KEY | sha256sum}). */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }
}
