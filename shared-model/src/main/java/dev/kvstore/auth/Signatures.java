package dev.kvstore.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/** The canonical string a signature covers, shared by signer and verifier so they cannot drift apart. */
final class Signatures {

    private static final String VERSION = "KV-HMAC-1";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] EMPTY = new byte[0];
    /** Cloned per body: looking SHA-256 up among the providers on every request was half of signing's cost. */
    private static final MessageDigest SHA256 = sha256Digest();

    private Signatures() {
    }

    /**
     * <pre>
     * KV-HMAC-1
     * METHOD
     * /raw/path?raw=query
     * timestamp (epoch seconds)
     * nonce
     * base64url(SHA-256(body))
     * </pre>
     */
    static String canonical(String method, String target, long timestamp, String nonce, byte[] body) {
        return VERSION + '\n' + method.toUpperCase(Locale.ROOT) + '\n' + target + '\n' + timestamp + '\n' + nonce
                + '\n' + BASE64URL.encodeToString(sha256(body == null ? EMPTY : body));
    }

    /** The raw (still percent-encoded) path and query as they go on the request line. */
    static String target(URI uri) {
        String path = uri.getRawPath();
        String target = path == null || path.isEmpty() ? "/" : path;
        return uri.getRawQuery() == null ? target : target + '?' + uri.getRawQuery();
    }

    static byte[] mac(ClusterKey key, String canonical) {
        return key.mac().doFinal(canonical.getBytes(UTF_8));
    }

    static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    private static byte[] sha256(byte[] body) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException notCloneable) {
            digest = sha256Digest();
        }
        return digest.digest(body);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
