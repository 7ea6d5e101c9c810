package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.model.CoordinatorTerm;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Puts the leader's term on every call to a node ({@code ?term=7}), ahead of the signature that covers
 * the query: a node keeps the highest term it has seen and refuses older ones, so a deposed leader's
 * late messages cannot land. A coordinator that never led adds nothing (it sends nothing). A refusal
 * names the node's term ({@link CoordinatorTerm#CURRENT_TERM_HEADER}), which goes to {@code laterTerm}.
 * Also names the node recorded at the URL ({@code ?node=node-2}): another node listening there now (the
 * port was freed by a restart) refuses with {@code 421} instead of acting on a message meant for another.
 */
final class TermStamping implements ClientHttpRequestInterceptor {

    private final Leadership leadership;
    private final LongConsumer laterTerm;
    private final Function<URI, Optional<String>> nodeAt;

    TermStamping(Leadership leadership, LongConsumer laterTerm, Function<URI, Optional<String>> nodeAt) {
        this.leadership = leadership;
        this.laterTerm = laterTerm;
        this.nodeAt = nodeAt;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        long term = leadership.messageTerm();
        if (term == 0) {
            return execution.execute(request, body);
        }
        URI stamped = stamp(request.getURI(), term, nodeAt.apply(request.getURI()));
        ClientHttpResponse response = execution.execute(new HttpRequestWrapper(request) {
            @Override
            public URI getURI() {
                return stamped;
            }
        }, body);
        String seen = response.getStatusCode().value() == 409
                ? response.getHeaders().getFirst(CoordinatorTerm.CURRENT_TERM_HEADER) : null;
        if (seen != null && seen.matches("\\d{1,18}")) {
            laterTerm.accept(Long.parseLong(seen));
        }
        return response;
    }

    /** The URI (a node call's: no fragment) with the term and node added to its query; by hand, as it is every call. */
    static URI stamp(URI uri, long term, Optional<String> node) {
        StringBuilder stamped = new StringBuilder(uri.toString())
                .append(uri.getRawQuery() == null ? '?' : '&').append(CoordinatorTerm.PARAMETER).append('=').append(term);
        node.ifPresent(id -> stamped.append('&').append(CoordinatorTerm.NODE_PARAMETER).append('=')
                .append(URLEncoder.encode(id, StandardCharsets.UTF_8)));
        return URI.create(stamped.toString());
    }
}
