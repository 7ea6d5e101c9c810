package dev.kvstore.node.term;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.CoordinatorTerm;
import dev.kvstore.model.NodeError;
import dev.kvstore.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets an {@code /internal} call through only when it is meant for this node (its {@code node} query
 * parameter, when given, is this node's id; otherwise {@code 421}) and its {@code term} query parameter is not older than
 * the highest term this node has seen ({@link TermStore}); a call without one passes unchecked. Runs
 * after the cluster signature check, so the term it reads is the one the sender signed. Refusals are
 * problems: {@code 409} for a stale term, {@code 400} for a malformed one, {@code 503} when a newer
 * term cannot be kept.
 */
public final class TermFencingFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TermFencingFilter.class);

    private final TermStore terms;
    private final LogThrottle throttle;
    private final String nodeId;
    private final String logPrefix;

    public TermFencingFilter(TermStore terms, LogThrottle throttle, String nodeId) {
        this.terms = terms;
        this.throttle = throttle;
        this.nodeId = nodeId;
        this.logPrefix = "nodeId=" + nodeId + " ";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> addressed = parameterValues(request.getQueryString(), CoordinatorTerm.NODE_PARAMETER);
        if (!addressed.isEmpty() && !addressed.stream().allMatch(nodeId::equals)) {
            String named = TermStore.abbreviate(addressed.stream().filter(n -> !n.equals(nodeId)).findFirst().orElseThrow());
            refuse(request, response, NodeError.WRONG_NODE, "this address serves node " + nodeId + ", not " + named + ": the sender's address "
                            + "for " + named + " is out of date (it restarted elsewhere); nothing was done", Map.of());
            return;
        }
        List<String> values = parameterValues(request.getQueryString(), CoordinatorTerm.PARAMETER);
        if (values.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long term = values.size() == 1 ? parse(values.getFirst()) : 0;
        if (term <= 0) {
            List<String> got = values.stream().map(TermStore::abbreviate).toList();
            refuse(request, response, NodeError.INVALID_REQUEST, "the query parameter " + CoordinatorTerm.PARAMETER
                    + " must appear once, as a positive whole number (the sending leader's Raft term); got "
                    + String.join(", ", got), Map.of());
            return;
        }
        TermStore.Admission admission;
        try {
            admission = terms.admit(term);
        } catch (UncheckedIOException e) {
            log.error("{}could not keep coordinator term {}: {}", logPrefix, term, e.getCause().toString());
            refuse(request, response, NodeError.STORAGE_UNAVAILABLE, "this node cannot record coordinator term "
                    + term + " durably now; nothing was done; retry later", Map.of());
            return;
        }
        if (!admission.admitted()) {
            refuseStale(request, response, term);
            return;
        }
        if (admission == TermStore.Admission.RAISED) {
            log.info("{}coordinator term is now {}", logPrefix, term);
        }
        chain.doFilter(request, response);
    }

    private void refuseStale(HttpServletRequest request, HttpServletResponse response, long term) throws IOException {
        long current = terms.highest();
        LogThrottle.Admission admission = throttle.admit();
        if (admission.log()) {
            log.warn("{}refused {} {}: coordinator term {} is older than {}{}", logPrefix, request.getMethod(),
                    request.getRequestURI(), term, current, admission.suppressed() == 0 ? ""
                            : "; " + admission.suppressed() + " more stale calls were not logged");
        }
        response.setHeader(CoordinatorTerm.CURRENT_TERM_HEADER, Long.toString(current));
        refuse(request, response, NodeError.STALE_TERM, "term " + term + " is older than term " + current + ", which this node "
                        + "has seen: the sender is no longer the coordinators' leader",
                Map.of(CoordinatorTerm.CURRENT_TERM, current));
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, NodeError error,
                               String detail, Map<String, ?> members) throws IOException {
        if (error.retryAfterSeconds() > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        ProblemWriter.write(request, response, HttpStatus.valueOf(error.status()), error.type(), error.title(), detail,
                members);
    }

    /** The raw (still URL-encoded) values of every parameter {@code wanted} in the query string. */
    static List<String> parameterValues(String query, String wanted) {
        List<String> values = new ArrayList<>();
        if (query == null) {
            return values;
        }
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (name.equals(wanted)) {
                values.add(equals < 0 ? "" : parameter.substring(equals + 1));
            }
        }
        return values;
    }

    /** The term, or 0 when the text is not a positive whole number. */
    private static long parse(String text) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return 0;
        }
    }
}
