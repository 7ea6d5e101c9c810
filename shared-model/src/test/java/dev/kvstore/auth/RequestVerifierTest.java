package dev.kvstore.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.kvstore.auth.Verification.Accepted;
import dev.kvstore.auth.Verification.Reason;
import dev.kvstore.auth.Verification.Rejected;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestVerifierTest {

    private static final String SECRET = "correct horse battery staple";
    private static final String TARGET = "/internal/txn/t1/prepare";
    private static final byte[] BODY = "{\"key\":\"a\",\"table\":\"OWN\",\"op\":\"PUT\"}".getBytes(UTF_8);

    private final MutableClock clock = new MutableClock();
    private final RequestSigner signer = new RequestSigner(ClusterKey.fromSecret(SECRET), clock);
    private final RequestVerifier verifier = new RequestVerifier(ClusterKey.fromSecret(SECRET), clock,
            Duration.ofSeconds(30));

    @Test
    void requestSignedWithTheSecretIsAccepted() {
        String header = signer.authorization("POST", TARGET, BODY);

        assertThat(verifier.verify("POST", TARGET, header, BODY)).isInstanceOf(Accepted.class);
    }

    @Test
    void signatureFromTheUriCoversTheRawPathAndQueryAsSent() {
        URI uri = URI.create("http://10.0.0.5:4711/internal/kv?table=own&key=app%2Fdb%20url%E2%82%AC");

        String header = signer.authorization("GET", uri, null);

        assertThat(verifier.verify("GET", "/internal/kv?table=own&key=app%2Fdb%20url%E2%82%AC", header, new byte[0]))
                .isInstanceOf(Accepted.class);
        assertThat(reason(verifier.verify("GET", "/internal/kv?table=own&key=app/db%20url%E2%82%AC", header, null)))
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void requestWithoutAPathIsSignedForTheRoot() {
        String header = signer.authorization("GET", URI.create("http://10.0.0.5:4711"), null);

        assertThat(verifier.verify("GET", "/", header, null)).isInstanceOf(Accepted.class);
    }

    @Test
    void requestSignedWithAnotherSecretIsRejected() {
        RequestSigner other = new RequestSigner(ClusterKey.fromSecret("another secret, also long"), clock);

        assertThat(reason(verifier.verify("POST", TARGET, other.authorization("POST", TARGET, BODY), BODY)))
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void alteredMethodPathQueryOrBodyIsRejected() {
        String header = signer.authorization("POST", TARGET + "?table=own", BODY);

        assertThat(reason(verifier.verify("PUT", TARGET + "?table=own", header, BODY))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason(verifier.verify("POST", "/internal/txn/t2/prepare?table=own", header, BODY)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason(verifier.verify("POST", TARGET + "?table=prev", header, BODY))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason(verifier.verify("POST", TARGET, header, BODY))).isEqualTo(Reason.BAD_SIGNATURE);
        byte[] tampered = BODY.clone();
        tampered[9] = 'b';
        assertThat(reason(verifier.verify("POST", TARGET + "?table=own", header, tampered)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(verifier.verify("POST", TARGET + "?table=own", header, BODY)).isInstanceOf(Accepted.class);
    }

    @Test
    void signatureOlderThanTheSkewIsStale() {
        String header = signer.authorization("POST", TARGET, BODY);

        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify("POST", TARGET, header, BODY)).isInstanceOf(Accepted.class);
        clock.advance(Duration.ofSeconds(1));

        Verification late = verifier.verify("POST", TARGET, header, BODY);
        assertThat(reason(late)).isEqualTo(Reason.STALE);
        assertThat(((Rejected) late).detail()).contains("31 s ago", "30 s");
    }

    @Test
    void signatureFromTooFarInTheFutureIsRejected() {
        MutableClock ahead = new MutableClock();
        ahead.advance(Duration.ofSeconds(31));
        String header = new RequestSigner(ClusterKey.fromSecret(SECRET), ahead).authorization("POST", TARGET, BODY);

        assertThat(reason(verifier.verify("POST", TARGET, header, BODY))).isEqualTo(Reason.FUTURE);
    }

    @Test
    void missingHeaderIsRejectedAsMissing() {
        assertThat(reason(verifier.verify("GET", TARGET, null, null))).isEqualTo(Reason.MISSING);
        assertThat(reason(verifier.verify("GET", TARGET, "  ", null))).isEqualTo(Reason.MISSING);
    }

    @Test
    void garbledHeaderIsRejectedAsMalformed() {
        String valid = signer.authorization("GET", TARGET, null);

        assertThat(reason(verifier.verify("GET", TARGET, "Bearer " + SECRET, null))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(verifier.verify("GET", TARGET, "KV-HMAC t=abc,n=x,sig=y", null))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(verifier.verify("GET", TARGET, valid.substring(0, valid.length() - 1), null)))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reason(verifier.verify("GET", TARGET, valid.replace(",n=", ",x="), null))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void rejectionsNeverRevealTheExpectedSignature() {
        String header = signer.authorization("POST", TARGET, BODY);
        String wrong = header.substring(0, header.indexOf("sig=") + 4) + "A".repeat(43);

        Verification verdict = verifier.verify("POST", TARGET, wrong, BODY);

        assertThat(reason(verdict)).isEqualTo(Reason.BAD_SIGNATURE);
        String expected = header.substring(header.indexOf("sig=") + 4);
        assertThat(((Rejected) verdict).detail()).doesNotContain(expected).doesNotContain(SECRET);
    }

    @Test
    void everySignatureGetsItsOwnNonce() {
        String first = signer.authorization("POST", TARGET, BODY);
        String second = signer.authorization("POST", TARGET, BODY);

        assertThat(first).isNotEqualTo(second);
        assertThat(new RequestSigner(ClusterKey.fromSecret(SECRET), clock).authorization("POST", TARGET, BODY))
                .isNotEqualTo(first);
    }

    @Test
    void shortOrMissingSecretIsRefusedSayingWhatIsNeeded() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromSecret(null)).withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromSecret("   ")).withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterKey.fromSecret("fifteen bytes!!"))
                .withMessageContaining("15 bytes").withMessageContaining("at least 16");
        assertThat(ClusterKey.fromSecret("sixteen bytes!!!").toString()).doesNotContain("sixteen");
    }

    @Test
    void surroundingWhitespaceIsNotPartOfTheSecret() {
        RequestSigner fromFile = new RequestSigner(ClusterKey.fromSecret(SECRET + "\n"), clock);

        assertThat(verifier.verify("GET", TARGET, fromFile.authorization("GET", TARGET, null), null))
                .isInstanceOf(Accepted.class);
    }

    @Test
    void signingWorksAcrossThreads() throws InterruptedException {
        Thread[] threads = new Thread[8];
        boolean[] ok = new boolean[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] = Thread.ofVirtual().start(() -> {
                boolean all = true;
                for (int j = 0; j < 500; j++) {
                    byte[] body = ("body " + n + " " + j).getBytes(UTF_8);
                    String header = signer.authorization("POST", TARGET, body);
                    all &= verifier.verify("POST", TARGET, header, body) instanceof Accepted;
                }
                ok[n] = all;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ok).containsOnly(true);
    }

    private static Reason reason(Verification verification) {
        assertThat(verification).isInstanceOf(Rejected.class);
        return ((Rejected) verification).reason();
    }
}
