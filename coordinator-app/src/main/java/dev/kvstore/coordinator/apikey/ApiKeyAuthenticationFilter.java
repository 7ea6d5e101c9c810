package dev.kvstore.coordinator.apikey;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the client's key ({@code Authorization: Bearer <key>}, or {@code X-API-Key: <key>}) and, when it is
 * a configured one, makes it the request's authentication. A request without a key goes on anonymous (and
 * is refused later if its path needs one); one with an unknown key is refused with 401 here, unless its
 * path is open. Other {@code Authorization} schemes (the cluster's {@code KV-HMAC}) count as no key.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final ApiKeyProblems problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyAuthenticationFilter(ApiKeys keys, ApiKeyProblems problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented != null) {
            Optional<ApiKey> key = keys.find(presented);
            if (key.isPresent()) {
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(authentication(key.get()));
                contexts.setContext(context);
            } else if (ApiAccessRules.required(request.getMethod(), path(request)).isPresent()) {
                request.setAttribute(ApiKeyProblems.UNKNOWN_KEY, Boolean.TRUE);
                problems.commence(request, response, null);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).strip();
            return key.isEmpty() ? null : key;
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }

    /** The path the rules judge: decoded and normalised by the container, as the dispatcher maps it. */
    static String path(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    static Authentication authentication(ApiKey key) {
        return new PreAuthenticatedAuthenticationToken(key, null,
                List.of(new SimpleGrantedAuthority("SCOPE_" + key.scope().name())));
    }

    /** The key a request authenticated with, or null. */
    static ApiKey keyOf(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof ApiKey key ? key : null;
    }
}
