package dev.kvstore.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Jackson, set up to survive whatever the coordinator adds to its documents later. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** How much of a non-JSON error body becomes the problem's detail. */
    private static final int MAX_FALLBACK_DETAIL = 300;

    private Json() {
    }

    /** @throws JacksonException when the body is not that JSON */
    static <T> T read(byte[] body, Class<T> type) {
        return MAPPER.readValue(body, type);
    }

    /** The problem details of an error answer; never fails, whatever the body is. */
    static Problem problem(int status, String contentType, byte[] body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json") && body.length > 0) {
            try {
                Map<?, ?> members = MAPPER.readValue(body, Map.class);
                return fromMembers(status, members);
            } catch (JacksonException | ClassCastException notAProblem) {
                // Fall back to the text below.
            }
        }
        return new Problem(null, reasonPhrase(status), status, text(body), null, null);
    }

    private static Problem fromMembers(int status, Map<?, ?> members) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        members.forEach((name, value) -> extensions.put(String.valueOf(name), value));
        Object type = extensions.remove("type");
        Object title = extensions.remove("title");
        Object problemStatus = extensions.remove("status");
        Object detail = extensions.remove("detail");
        Object instance = extensions.remove("instance");
        return new Problem(string(type), string(title),
                problemStatus instanceof Number n ? n.intValue() : status, string(detail), string(instance),
                extensions);
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static String text(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= MAX_FALLBACK_DETAIL ? text : text.substring(0, MAX_FALLBACK_DETAIL) + "...";
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> null;
        };
    }
}
