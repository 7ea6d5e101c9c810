package dev.kvstore.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.kvstore.auth.Verification.Accepted;
import dev.kvstore.auth.Verification.Reason;
import dev.kvstore.auth.Verification.Rejected;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks a request's {@code Authorization: KV-HMAC ...} header against the cluster secret: the
 * signature must cover this method, raw path and query and body, and its timestamp must lie within the
 * allowed clock skew of now. The comparison takes constant time. Thread-safe; one HMAC per request.
 */
public final class RequestVerifier {

    private final ClusterKey key;
    private final Clock clock;
    private final long maxSkewSeconds;

    public RequestVerifier(ClusterKey key, Clock clock, Duration maxSkew) {
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw new IllegalArgumentException("the allowed clock skew must be positive, not " + maxSkew);
        }
        this.key = key;
        this.clock = clock;
        this.maxSkewSeconds = maxSkew.toSeconds();
    }

    /**
     * @param target        the raw path and query from the request line, such as {@code /internal/kv?table=own&key=a%2Fb}
     * @param authorization the {@code Authorization} header, or null
     */
    public Verification verify(String method, String target, String authorization, byte[] body) {
        if (authorization == null || authorization.isBlank()) {
            return new Rejected(Reason.MISSING, "cluster requests must carry 'Authorization: KV-HMAC t=...,n=...,sig=...'"
                    + " signed with the cluster secret (kv.cluster.secret)");
        }
        AuthorizationHeader header;
        try {
            header = AuthorizationHeader.parse(authorization);
        } catch (IllegalArgumentException e) {
            return new Rejected(Reason.MALFORMED, e.getMessage());
        }
        long age = clock.instant().getEpochSecond() - header.timestamp();
        if (age > maxSkewSeconds) {
            return new Rejected(Reason.STALE, "the request was signed " + age + " s ago; at most " + maxSkewSeconds
                    + " s are accepted: sign each request when sending it, and keep the clocks in sync");
        }
        if (-age > maxSkewSeconds) {
            return new Rejected(Reason.FUTURE, "the request was signed " + -age + " s in the future; at most "
                    + maxSkewSeconds + " s of clock difference are accepted: keep the clocks in sync");
        }
        byte[] expected = Signatures.mac(key,
                Signatures.canonical(method, target, header.timestamp(), header.nonce(), body));
        byte[] presented = header.signature().getBytes(US_ASCII);
        if (!MessageDigest.isEqual(Signatures.encode(expected).getBytes(US_ASCII), presented)) {
            return new Rejected(Reason.BAD_SIGNATURE, "the signature does not match this request: it was signed "
                    + "with another cluster secret, or its method, path, query or body changed on the way");
        }
        return new Accepted(header.timestamp(), header.nonce());
    }

    /** How far a signature's timestamp may be from now, either way. */
    public Duration maxSkew() {
        return Duration.ofSeconds(maxSkewSeconds);
    }
}
