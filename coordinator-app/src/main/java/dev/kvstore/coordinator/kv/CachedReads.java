package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.model.InvalidKeyException;
import dev.kvstore.model.Key;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Answers a GET or HEAD of a cached key straight from the cache, before Spring MVC: the status, headers
 * and body {@link KvController#get} would give, without the handler lookup, argument resolution and
 * message conversion that cost more than the read itself. Everything else goes on to the controller
 * unchanged: a miss, a conditional request (304 is MVC's to decide), an Accept header the value's type
 * does not satisfy (406), a key the controller would refuse. Runs after the security filters, so API
 * keys guard it as they guard the controller.
 */
public final class CachedReads extends HttpFilter {

    private final SetAssociativeCache<String, CachedValue> cache;

    public CachedReads(SetAssociativeCache<String, CachedValue> cache) {
        this.cache = cache;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CachedValue hit = servable(request);
        if (hit == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(HttpHeaders.ETAG, "\"" + hit.version() + "\"");
        response.setContentType(hit.contentType());
        response.setContentLength(hit.value().length);
        if (request.getMethod().equals("GET")) {
            response.getOutputStream().write(hit.value());
        }
    }

    /** Whether this request would be answered from the cache (for tests; counts a hit like a read). */
    boolean servesFrom(HttpServletRequest request) {
        return servable(request) != null;
    }

    /** The cached value when this request may be answered from it here, else null. */
    private CachedValue servable(HttpServletRequest request) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")
                || request.getHeader(HttpHeaders.IF_NONE_MATCH) != null
                || request.getHeader(HttpHeaders.IF_MODIFIED_SINCE) != null) {
            return null;
        }
        Key key;
        try {
            key = RequestKeys.of(request);
        } catch (InvalidRequestException | InvalidKeyException malformed) {
            return null;
        }
        if (key == null) {
            return null;
        }
        CachedValue hit = cache.getIfHit(key.text());
        return hit != null && accepts(request.getHeader(HttpHeaders.ACCEPT), hit.contentType()) ? hit : null;
    }

    private static boolean accepts(String accept, String contentType) {
        if (accept == null || accept.equals("*/*")) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            for (MediaType acceptable : MediaType.parseMediaTypes(accept)) {
                if (acceptable.isCompatibleWith(type)) {
                    return true;
                }
            }
            return false;
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
