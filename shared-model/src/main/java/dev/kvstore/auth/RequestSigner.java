package dev.kvstore.auth;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs a cluster request: an HMAC-SHA256, with the key derived from the cluster secret, over the
 * method, the raw path and query, the time, a nonce and the SHA-256 of the body. Thread-safe; one
 * HMAC and one digest per request.
 */
public final class RequestSigner {

    private final ClusterKey key;
    private final Clock clock;
    /** Random per signer, so nonces are unique across processes and restarts without a random draw per request. */
    private final String noncePrefix;
    private final AtomicLong counter = new AtomicLong();

    public RequestSigner(ClusterKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.noncePrefix = Signatures.encode(random) + '.';
    }

    /** The {@code Authorization} header value for a request to {@code uri}. */
    public String authorization(String method, URI uri, byte[] body) {
        return authorization(method, Signatures.target(uri), body);
    }

    /**
     * The {@code Authorization} header value for a request to {@code target}: the raw path and query as
     * sent on the request line, such as {@code /internal/kv?table=own&key=a%2Fb}.
     */
    public String authorization(String method, String target, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        String nonce = noncePrefix + Long.toString(counter.incrementAndGet(), 36);
        String canonical = Signatures.canonical(method, target, timestamp, nonce, body);
        return new AuthorizationHeader(timestamp, nonce, Signatures.encode(Signatures.mac(key, canonical))).format();
    }
}
