package dev.kvstore.client;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of keys and ids for paths and query parameters (RFC 3986, UTF-8). */
final class UriEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /** A key as the rest of a path: slashes stay literal (the coordinator's keys may contain them). */
    static String keyPath(String key) {
        return encode(key, true);
    }

    /** One path segment or one query parameter value: everything but unreserved characters encoded. */
    static String component(String value) {
        return encode(value, false);
    }

    private static String encode(String value, boolean keepSlashes) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isUnreserved(c) || (keepSlashes && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** RFC 3986 unreserved: the only characters no server or proxy reinterprets. */
    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
