package dev.kvstore.coordinator.web;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Every request to the API (client, node and operator endpoints alike) is answered by the group's
 * leader: here when this coordinator leads and holds its lease; otherwise forwarded to the leader, whose
 * answer (status, headers, body) goes back unchanged; and when no leader can answer, 503 with
 * Retry-After at once. A forwarded request the leader took and did not answer in time is a 504: it may
 * have taken effect. A request is forwarded at most once: a leader that changed meanwhile is not
 * chased from coordinator to coordinator. Actuator and the API documents are each coordinator's own.
 */
public final class LeaderRouting extends HttpFilter {

    /** Set on a forwarded request, naming the coordinator that forwarded it. */
    public static final String FORWARDED_BY = "X-Kv-Forwarded-By";

    private static final Logger log = LoggerFactory.getLogger(LeaderRouting.class);
    // The JDK client sets these itself, or they describe this hop only.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-connection", "http2-settings");

    private final Leadership leadership;
    private final Supplier<String> leaderId;
    private final CloseableHttpClient http;
    private final Duration timeout;
    private final String self;
    private final String retryAfterSeconds;

    public LeaderRouting(Leadership leadership, Supplier<String> leaderId, CloseableHttpClient http, Duration timeout, String self,
                         Duration retryAfter) {
        this.leadership = leadership;
        this.leaderId = leaderId;
        this.http = http;
        this.timeout = timeout;
        this.self = self;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        switch (leadership.route(leaderId.get())) {
            case Leadership.Route.Serve serve -> chain.doFilter(request, response);
            case Leadership.Route.Forward forward -> {
                String by = request.getHeader(FORWARDED_BY);
                if (by != null) {
                    unavailable(request, response, "coordinator " + by + " forwarded this request to " + self
                            + ", which no longer leads the group (its leader is now " + forward.leader().id() + ")");
                } else {
                    forward(request, response, forward.leader().id(), forward.leader().url());
                }
            }
            case Leadership.Route.Unavailable unavailable -> unavailable(request, response, unavailable.reason());
        }
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, String leader, URI leaderUrl)
            throws IOException {
        String query = request.getQueryString();
        ClassicHttpRequest forwarded = new BasicClassicHttpRequest(request.getMethod(),
                URI.create(leaderUrl + request.getRequestURI() + (query == null ? "" : "?" + query)));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forwarded.addHeader(name, value);
                }
            }
        }
        forwarded.addHeader(FORWARDED_BY, self);
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length > 0 || request.getContentLengthLong() > 0) {
            // The Content-Type header was copied above; the entity only gives the length.
            forwarded.setEntity(new ByteArrayEntity(body, null));
        }
        try {
            http.execute(forwarded, answer -> {
                response.setStatus(answer.getCode());
                for (Header header : answer.getHeaders()) {
                    if (!HOP_BY_HOP.contains(header.getName().toLowerCase(Locale.ROOT))) {
                        response.addHeader(header.getName(), header.getValue());
                    }
                }
                HttpEntity entity = answer.getEntity();
                if (entity != null) {
                    if (entity.getContentLength() >= 0) {
                        response.setContentLengthLong(entity.getContentLength());
                    }
                    try (InputStream in = entity.getContent()) {
                        in.transferTo(response.getOutputStream());
                    }
                }
                return null;
            });
        } catch (ConnectException | ConnectTimeoutException e) {
            // Never delivered: nothing happened, and a new leader is likely being elected.
            log.debug("forwarding to leader {} at {} failed: {}", leader, leaderUrl, e.toString());
            unavailable(request, response, "the group's leader " + leader + " (" + leaderUrl + ") refused the "
                    + "connection; a new leader is being elected");
        } catch (IOException e) {
            if (response.isCommitted()) {
                throw e;
            }
            // Delivered, perhaps acted on: whether a write took effect is unknown, as with any 504.
            log.debug("forwarding to leader {} at {} failed: {}", leader, leaderUrl, e.toString());
            ProblemWriter.write(request, response, HttpStatus.GATEWAY_TIMEOUT, "Leader did not answer",
                    "coordinator " + self + " forwarded this request to the group's leader " + leader + " (" + leaderUrl
                            + "), which did not answer within " + timeout.toSeconds() + " s (kv.coordinator.group."
                            + "forward-timeout): a write may or may not have taken effect; read the key to see");
        }
    }

    private void unavailable(HttpServletRequest request, HttpServletResponse response, String reason) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        ProblemWriter.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "No coordinator leader", reason);
    }
}
