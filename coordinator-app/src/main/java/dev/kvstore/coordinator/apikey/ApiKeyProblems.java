package dev.kvstore.coordinator.apikey;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers refused client requests, once for the whole API: 401 (no key, or one this coordinator does not
 * know) with {@code WWW-Authenticate: Bearer}, and 403 (a key without the scope the request needs), both as
 * RFC 9457 problem+json saying what to send instead. Each refusal is logged at WARN with method, path,
 * remote address and the key's name (never the key), at most 10 lines a minute plus a count of the rest.
 */
final class ApiKeyProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    /** Set by {@link ApiKeyAuthenticationFilter} when a request presented a key nobody configured. */
    static final String UNKNOWN_KEY = ApiKeyProblems.class.getName() + ".unknownKey";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyProblems.class);

    private final LogThrottle throttle;

    ApiKeyProblems(Clock clock) {
        this.throttle = new LogThrottle(clock, 10, Duration.ofMinutes(1));
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException cause)
            throws IOException {
        boolean unknown = request.getAttribute(UNKNOWN_KEY) != null;
        String detail = unknown
                ? "the API key is not one this coordinator knows (revoked or mistyped?); send a configured key "
                        + "as Authorization: Bearer <api key>"
                : "this coordinator needs a client API key: send Authorization: Bearer <api key> "
                        + "(or X-API-Key: <api key>)";
        refusal(request, unknown ? "unknown API key" : "no API key");
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"kvstore\"");
        ProblemWriter.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException cause)
            throws IOException {
        ApiKey key = ApiKeyAuthenticationFilter.keyOf(SecurityContextHolder.getContext().getAuthentication());
        ApiScope needed = ApiAccessRules.required(request.getMethod(), ApiKeyAuthenticationFilter.path(request))
                .orElse(ApiScope.READ);
        String name = key == null ? "?" : key.name();
        String has = key == null ? "no" : key.scope().label();
        refusal(request, "key '" + name + "' has " + has + " scope, needs " + needed.label());
        ProblemWriter.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "the API key '" + name + "' has " + has
                + " scope; " + request.getMethod() + " " + request.getRequestURI() + " needs " + needed.label()
                + " scope: use a key with " + needed.label() + " scope");
    }

    private void refusal(HttpServletRequest request, String reason) {
        LogThrottle.Admission admission = throttle.admit();
        if (admission.log()) {
            log.warn("refused {} {} from {}: {}{}", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), reason, admission.suppressed() > 0
                            ? " (" + admission.suppressed() + " more refusals not logged)" : "");
        }
    }

}
