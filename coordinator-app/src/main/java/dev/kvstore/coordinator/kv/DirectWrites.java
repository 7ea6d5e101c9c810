package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.InvalidKeyException;
import dev.kvstore.model.Key;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers a well-formed PUT of a value before Spring MVC, as {@link CachedReads} answers cache hits: the
 * status, {@code ETag} and {@code Location} {@link KvController#put} would give, without the handler
 * lookup and argument resolution, which cost the coordinator more than the write's own work. A failure
 * of the write goes to the same exception handlers the controller's would ({@code HandlerExceptionResolver}),
 * so the problem, its status and its headers are the same. A PUT this filter cannot take whole before
 * reading its body (no or too large a Content-Length, a malformed key, Content-Type or condition) goes on
 * to the controller untouched, which refuses it exactly as before. Runs after the security filters and
 * the request timer.
 */
public final class DirectWrites extends HttpFilter {

    private final KvService kv;
    private final long maxValueBytes;
    private final HandlerExceptionResolver errors;

    /** @param errors Spring MVC's resolver, which applies the {@code @RestControllerAdvice} handlers */
    public DirectWrites(KvService kv, long maxValueBytes, HandlerExceptionResolver errors) {
        this.kv = kv;
        this.maxValueBytes = maxValueBytes;
        this.errors = errors;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Put put = takeable(request);
        if (put == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            byte[] value = PutRequests.value(request, maxValueBytes);
            WriteOutcome.Committed committed = kv.put(put.key(), value, put.contentType(), put.condition());
            response.setStatus(committed.created() ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK);
            if (committed.created()) {
                response.setHeader(HttpHeaders.LOCATION, PutRequests.location(put.key()).toASCIIString());
            }
            response.setHeader(HttpHeaders.ETAG, "\"" + committed.version() + "\"");
            response.setContentLength(0);
        } catch (RuntimeException e) {
            if (errors.resolveException(request, response, null, e) == null) {
                throw e;
            }
        }
    }

    /** Whether this request would be answered here (for tests). */
    boolean takes(HttpServletRequest request) {
        return takeable(request) != null;
    }

    /** The parsed PUT when every check the controller makes before the write has passed, else null. */
    private Put takeable(HttpServletRequest request) {
        if (!request.getMethod().equals("PUT")) {
            return null;
        }
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared > maxValueBytes) {
            return null;
        }
        try {
            Key key = RequestKeys.of(request);
            if (key == null) {
                return null;
            }
            String contentType = PutRequests.contentType(request.getContentType());
            Precondition condition = Conditions.parse(request.getHeader(HttpHeaders.IF_MATCH),
                    request.getHeader(HttpHeaders.IF_NONE_MATCH));
            return new Put(key, contentType, condition);
        } catch (InvalidRequestException | InvalidKeyException refused) {
            return null;
        }
    }

    private record Put(Key key, String contentType, Precondition condition) {
    }
}
