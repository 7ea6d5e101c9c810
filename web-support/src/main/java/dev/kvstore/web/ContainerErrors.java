package dev.kvstore.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What to answer when Tomcat refuses a request before any application code sees it (a request line,
 * header or URL it cannot parse): a problem whose detail says what to fix. Pure: it only reads what
 * Tomcat knew. Tomcat's reasons are matched in English (its default messages); under another
 * locale they are passed on as they are.
 */
public final class ContainerErrors {

    /** An RFC 9457 problem as plain values; {@link #toJson} renders it without a JSON library. */
    public record Problem(int status, String title, String detail) {

        public String toJson() {
            return "{\"title\":" + quote(title) + ",\"status\":" + status
                    + ",\"detail\":" + quote(detail) + "}";
        }
    }

    /**
     * What Tomcat knew of the request it refused.
     *
     * @param status         the status Tomcat set
     * @param message        the message Tomcat passed to {@code sendError}, if any
     * @param cause          the exception Tomcat's parser threw, if any
     * @param rawUri         the request URI as sent, if the request line was parsed that far
     * @param hostHeader     whether the request had a Host header
     * @param maxHeaderBytes the connector's limit on the request line and headers together
     */
    public record Refusal(int status, String message, Throwable cause, String rawUri, boolean hostHeader,
                          int maxHeaderBytes) {
    }

    private ContainerErrors() {
    }

    public static Problem describe(Refusal refusal) {
        int status = refusal.status();
        String reason = refusal.cause() != null && refusal.cause().getMessage() != null
                ? refusal.cause().getMessage() : refusal.message();
        String text = reason == null ? "" : reason;
        if (text.contains("header is too large")) {
            if (refusal.rawUri() == null) {
                return new Problem(414, "URI Too Long", "the request line (method, URL and version) is longer than "
                        + "the " + refusal.maxHeaderBytes() + " bytes this server accepts for the request line and "
                        + "headers together; keys are at most 1024 bytes of UTF-8");
            }
            return new Problem(431, "Request Header Fields Too Large", "the request line and headers together are "
                    + "larger than the " + refusal.maxHeaderBytes() + " bytes this server accepts; send fewer or "
                    + "shorter headers");
        }
        if (status == 400 && text.startsWith("Invalid URI")) {
            return new Problem(400, "Invalid URL", invalidUrl(text));
        }
        if (status == 400 && reason == null && refusal.rawUri() != null && !decodesAsUtf8(refusal.rawUri())) {
            return new Problem(400, "Invalid URL", "the URL's percent-encoded bytes are not valid UTF-8; encode "
                    + "keys as UTF-8 before percent-encoding them");
        }
        if (status == 400 && reason == null && !refusal.hostHeader()) {
            return new Problem(400, "Bad Request", "an HTTP/1.1 request needs a Host header");
        }
        if (status == 400) {
            return new Problem(400, "Bad Request", "the request is not valid HTTP/1.1: " + (reason == null
                    ? "check the request line and the Host, Content-Length and Transfer-Encoding headers" : reason));
        }
        if (status == 505) {
            return new Problem(505, "HTTP Version Not Supported", "send HTTP/1.1 (or HTTP/1.0)");
        }
        if (status == 501) {
            return new Problem(501, "Not Implemented", "this server does not support "
                    + (reason == null ? "this request" : reason) + "; send a plain or chunked body");
        }
        if (status >= 500) {
            return new Problem(status, "Internal Server Error", "the server failed to handle the request; "
                    + "its log has the details");
        }
        return new Problem(status, "Request refused", reason == null ? "the server refused the request" : reason);
    }

    /** Whether every percent-encoded byte sequence in the URI decodes as UTF-8. */
    static boolean decodesAsUtf8(String rawUri) {
        byte[] bytes = new byte[rawUri.length()];
        int n = 0;
        for (int i = 0; i < rawUri.length(); i++) {
            char c = rawUri.charAt(i);
            if (c == '%' && i + 2 < rawUri.length() && HexFormat.isHexDigit(rawUri.charAt(i + 1))
                    && HexFormat.isHexDigit(rawUri.charAt(i + 2))) {
                bytes[n++] = (byte) HexFormat.fromHexDigits(rawUri, i + 1, i + 3);
                i += 2;
            } else if (c <= 0xFF) {
                // Tomcat gives the raw request line's bytes as ISO-8859-1 characters.
                bytes[n++] = (byte) c;
            } else {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, n));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String invalidUrl(String reason) {
        if (reason.contains("hexadecimal")) {
            return "the URL has a '%' that is not followed by two hex digits; send a literal '%' as %25";
        }
        if (reason.contains("encoded slash") || reason.contains("encoded solidus")) {
            return "the URL has an encoded slash (%2F); send slashes in keys unencoded (/kv/app/db/url is key "
                    + "app/db/url)";
        }
        if (reason.contains("encoded reverse solidus") || reason.contains("backslash")) {
            return "the URL has an encoded backslash (%5C), which this server does not accept";
        }
        return "the URL path cannot be used: it must not climb above the root with '..' segments and must not "
                + "contain control characters";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
