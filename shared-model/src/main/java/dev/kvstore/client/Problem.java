package dev.kvstore.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, as the coordinator answers errors ({@code application/problem+json}).
 * An error answer that is not problem JSON (a proxy's HTML page, say) still yields one: the status, its
 * reason phrase as title, and the start of the body as detail.
 *
 * @param type       a URI reference naming the problem type; {@code about:blank} when the answer named none
 * @param title      a short summary, like "Precondition failed"
 * @param status     the HTTP status
 * @param detail     what went wrong this time and what to fix; may be {@code null}
 * @param instance   the URI reference of this occurrence (usually the request path); may be {@code null}
 * @param properties any extension members, as plain Java values (String, Number, Boolean, List, Map, null)
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      Map<String, Object> properties) {

    public static final String ABOUT_BLANK = "about:blank";

    public Problem {
        type = type == null || type.isBlank() ? ABOUT_BLANK : type;
        // Not Map.copyOf: an extension member may be JSON null.
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** "412 Precondition failed: key 'a' is at version 7". */
    public String summary() {
        String head = status + (title == null ? "" : " " + title);
        return detail == null ? head : head + ": " + detail;
    }
}
