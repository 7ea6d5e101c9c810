package dev.kvstore.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The request-signing key, derived once from the cluster secret. Signers and verifiers take a
 * {@link Mac} from here per request: a clone of one initialised prototype, so no request pays for
 * the key schedule, and none shares a {@code Mac} (they are not thread-safe) with another.
 */
public final class ClusterKey {

    /** The shortest secret accepted, in UTF-8 bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    static final String ALGORITHM = "HmacSHA256";
    /** Separates this use of the secret from any other it may get (client API keys, say). */
    private static final byte[] DERIVATION_LABEL = "kvstore cluster request signing v1".getBytes(UTF_8);

    private final byte[] signingKey;
    private final Mac prototype;
    private final boolean cloneable;

    private ClusterKey(byte[] signingKey) {
        this.signingKey = signingKey;
        this.prototype = newMac(signingKey);
        this.cloneable = isCloneable(prototype);
    }

    /**
     * The key for {@code secret}; surrounding whitespace (the trailing newline of a file, say) is not
     * part of the secret.
     *
     * @throws IllegalArgumentException when the secret is missing or shorter than {@link #MIN_SECRET_BYTES}
     */
    public static ClusterKey fromSecret(String secret) {
        requireValid(secret);
        return new ClusterKey(hmac(secret.strip().getBytes(UTF_8), DERIVATION_LABEL));
    }

    /** Checks a secret the way {@link #fromSecret} does, without deriving the key. */
    public static void requireValid(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the cluster secret is empty");
        }
        int length = secret.strip().getBytes(UTF_8).length;
        if (length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the cluster secret is " + length + " bytes long; it needs at least "
                    + MIN_SECRET_BYTES + " (generate one with: openssl rand -base64 32)");
        }
    }

    /** A {@code Mac} ready to sign with this key, for one request on one thread. */
    Mac mac() {
        if (cloneable) {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
        // A provider whose Mac cannot be cloned pays for the key schedule on every request.
        return newMac(signingKey);
    }

    @Override
    public String toString() {
        return "ClusterKey[" + ALGORITHM + ", value hidden]";
    }

    private static boolean isCloneable(Mac mac) {
        try {
            mac.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return newMac(key).doFinal(data);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
