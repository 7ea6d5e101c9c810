package dev.kvstore.coordinator.kv;

import dev.kvstore.model.InvalidKeyException;
import dev.kvstore.model.Key;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.web.util.UriUtils;

/**
 * The key of a {@code /kv/...} request: the raw path after {@code /kv/}, percent-decoded. Not the
 * path Spring MVC captures, which drops what follows a ';' in each segment (path parameters to Spring,
 * part of the key here: {@code /kv/a;b} is key {@code a;b}, not {@code a}). Parsed once per request:
 * the filter that answers cache hits and the controller share the {@link Key} through a request
 * attribute.
 */
final class RequestKeys {

    private static final String ATTRIBUTE = RequestKeys.class.getName();

    private RequestKeys() {
    }

    /**
     * @return the key, or null when the request is not for {@code /kv}
     * @throws InvalidRequestException when the percent-encoding is invalid
     * @throws InvalidKeyException     when the key breaks the key rules
     */
    static Key of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Key parsed) {
            return parsed;
        }
        String text = text(request);
        if (text == null) {
            return null;
        }
        Key key = Key.of(text);
        request.setAttribute(ATTRIBUTE, key);
        return key;
    }

    /**
     * The key's text, not yet checked against the key rules.
     *
     * @return null when the request is not for {@code /kv}
     * @throws InvalidRequestException when the percent-encoding is invalid
     */
    static String text(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/kv")) {
            return null;
        }
        String raw = path.substring(path.startsWith("/kv/") ? 4 : 3);
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the key's percent-encoding is invalid: '%' must be followed "
                    + "by two hex digits");
        }
    }
}
