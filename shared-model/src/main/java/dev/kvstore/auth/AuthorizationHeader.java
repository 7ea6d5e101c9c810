package dev.kvstore.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Authorization: KV-HMAC t=<epoch seconds>,n=<nonce>,sig=<base64url HMAC-SHA256>}, the proof a
 * cluster request carries.
 */
record AuthorizationHeader(long timestamp, String nonce, String signature) {

    static final String SCHEME = "KV-HMAC";

    private static final Pattern FORMAT = Pattern.compile(
            "(?i:KV-HMAC)\\s+t=(\\d{1,12})\\s*,\\s*n=([A-Za-z0-9_.-]{1,64})\\s*,\\s*sig=([A-Za-z0-9_-]{43})");

    String format() {
        return SCHEME + " t=" + timestamp + ",n=" + nonce + ",sig=" + signature;
    }

    /** @throws IllegalArgumentException saying what is wrong with the header */
    static AuthorizationHeader parse(String header) {
        String value = header.strip();
        if (!value.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            throw new IllegalArgumentException("the Authorization header is not a " + SCHEME + " signature");
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("the Authorization header is not 'KV-HMAC t=<epoch seconds>,"
                    + "n=<nonce>,sig=<base64url HMAC-SHA256>'");
        }
        return new AuthorizationHeader(Long.parseLong(m.group(1)), m.group(2), m.group(3));
    }
}
