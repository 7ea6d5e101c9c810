package dev.kvstore.web.security;

import dev.kvstore.web.ProblemWriter;
import dev.kvstore.web.RequestBodies;
import dev.kvstore.auth.LogThrottle;
import dev.kvstore.auth.ReplayGuard;
import dev.kvstore.auth.RequestVerifier;
import dev.kvstore.auth.Verification;
import dev.kvstore.auth.Verification.Accepted;
import dev.kvstore.auth.Verification.Reason;
import dev.kvstore.auth.Verification.Rejected;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a cluster request through only when it is signed with the cluster secret. The body is read
 * first (bounded) to check its digest and handed on from memory; a refused request never reaches a
 * controller and is answered 401 (or 413) as a problem, logged at WARN at a bounded rate.
 */
public final class ClusterAuthFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ClusterAuthFilter.class);

    private final RequestVerifier verifier;
    private final ReplayGuard replays;
    private final Predicate<HttpServletRequest> exempt;
    private final Predicate<HttpServletRequest> onceOnly;
    private final long maxBodyBytes;
    private final LogThrottle throttle;
    private final Consumer<Reason> refused;
    private final String logPrefix;

    /**
     * @param exempt   requests under the filter's URL patterns that need no signature
     * @param onceOnly requests a replay could still change something with later, accepted once per nonce
     * @param refused  called with every refusal (for a metric)
     */
    public ClusterAuthFilter(RequestVerifier verifier, ReplayGuard replays, Predicate<HttpServletRequest> exempt,
                             Predicate<HttpServletRequest> onceOnly, long maxBodyBytes, LogThrottle throttle,
                             Consumer<Reason> refused, String logPrefix) {
        this.verifier = verifier;
        this.replays = replays;
        this.exempt = exempt;
        this.onceOnly = onceOnly;
        this.maxBodyBytes = maxBodyBytes;
        this.throttle = throttle;
        this.refused = refused;
        this.logPrefix = logPrefix;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (exempt.test(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            String detail = "cluster requests carry at most " + maxBodyBytes + " bytes";
            logRefusal(request, "body too large", detail);
            ProblemWriter.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request body too large", detail);
            return;
        }
        String query = request.getQueryString();
        String target = query == null ? request.getRequestURI() : request.getRequestURI() + '?' + query;
        Verification verdict = verifier.verify(request.getMethod(), target,
                request.getHeader(HttpHeaders.AUTHORIZATION), body);
        if (verdict instanceof Accepted accepted && onceOnly.test(request) && !replays.firstUse(accepted)) {
            verdict = new Rejected(Reason.REPLAYED, "this signed request was already accepted once; sign every "
                    + "request anew (a fresh nonce) when sending it");
        }
        if (verdict instanceof Rejected rejected) {
            refuse(request, response, rejected);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /** The whole body, or null when it exceeds the limit (declared or not). */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            return null;
        }
        byte[] body = RequestBodies.readAtMost(request.getInputStream(), request.getContentLengthLong(), maxBodyBytes);
        return body.length > maxBodyBytes ? null : body;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Rejected rejected)
            throws IOException {
        refused.accept(rejected.reason());
        logRefusal(request, rejected.reason().toString(), rejected.detail());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "KV-HMAC");
        ProblemWriter.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", rejected.detail());
    }

    private void logRefusal(HttpServletRequest request, String reason, String detail) {
        LogThrottle.Admission admission = throttle.admit();
        if (admission.log()) {
            log.warn("{}refused {} {} from {}: {} ({}){}", logPrefix, request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr(), reason, detail, admission.suppressed() == 0 ? ""
                            : "; " + admission.suppressed() + " more refused requests were not logged");
        }
    }

}
