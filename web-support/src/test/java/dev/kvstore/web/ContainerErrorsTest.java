package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.web.ContainerErrors.Problem;
import dev.kvstore.web.ContainerErrors.Refusal;
import org.junit.jupiter.api.Test;

class ContainerErrorsTest {

    private static Problem describe(int status, String message, Throwable cause, String uri, boolean host) {
        return ContainerErrors.describe(new Refusal(status, message, cause, uri, host, 8192));
    }

    @Test
    void headersOverTheLimitAre431NamingTheLimit() {
        Problem problem = describe(400, null, new IllegalArgumentException("Request header is too large"), "/kv/a", true);

        assertThat(problem.status()).isEqualTo(431);
        assertThat(problem.detail()).contains("8192 bytes", "fewer or shorter headers");
    }

    @Test
    void requestLineOverTheLimitIs414() {
        Problem problem = describe(400, null, new IllegalArgumentException("Request header is too large"), null, false);

        assertThat(problem.status()).isEqualTo(414);
        assertThat(problem.detail()).contains("request line", "1024 bytes");
    }

    @Test
    void invalidPercentEncodingSaysHowToEncodeAPercentSign() {
        Problem problem = describe(400, "Invalid URI: [The hexadecimal encoding is invalid]", null, "/kv/%zz", true);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).contains("%25");
    }

    @Test
    void percentEncodedInvalidUtf8IsRecognisedFromTheRawUri() {
        Problem problem = describe(400, null, null, "/kv/%C3%28", true);

        assertThat(problem.detail()).contains("not valid UTF-8");
    }

    @Test
    void missingHostHeaderIsNamedWhenTheUriIsFine() {
        Problem problem = describe(400, null, null, "/kv/caf%C3%A9", false);

        assertThat(problem.detail()).contains("Host header");
    }

    @Test
    void encodedSlashSaysToSendSlashesPlain() {
        Problem problem = describe(400, "Invalid URI: [The encoded slash character is not allowed]", null, "/kv/a%2Fb",
                true);

        assertThat(problem.detail()).contains("%2F", "unencoded");
    }

    @Test
    void unparseableRequestLineQuotesTomcatsReason() {
        Problem problem = describe(400, null,
                new IllegalArgumentException("Invalid character found in method name. HTTP method names must be tokens"),
                null, false);

        assertThat(problem.detail()).startsWith("the request is not valid HTTP/1.1: Invalid character");
    }

    @Test
    void serverErrorsNeverCarryTheExceptionText() {
        Problem problem = describe(500, "boom", new IllegalStateException("secret internals"), "/kv/a", true);

        assertThat(problem.detail()).doesNotContain("secret", "boom");
    }

    @Test
    void rawUtf8BytesInTheRequestLineAreValid() {
        // Tomcat hands the raw bytes over as ISO-8859-1 characters: "é" arrives as two of them.
        assertThat(ContainerErrors.decodesAsUtf8("/kv/caf\u00c3\u00a9")).isTrue();
        assertThat(ContainerErrors.decodesAsUtf8("/kv/caf%C3")).isFalse();
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        String json = new Problem(400, "t", "a \"b\" \\ \n \u0001").toJson();

        assertThat(json).isEqualTo("{\"title\":\"t\",\"status\":400,\"detail\":\"a \\\"b\\\" \\\\ \\n \\u0001\"}");
    }
}
