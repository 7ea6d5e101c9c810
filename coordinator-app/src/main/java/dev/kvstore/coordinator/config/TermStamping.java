package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.model.CoordinatorTerm;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.web.util.UriComponentsBuilder;

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
        UriComponentsBuilder uri = UriComponentsBuilder.fromUri(request.getURI()).queryParam(CoordinatorTerm.PARAMETER, term);
        nodeAt.apply(request.getURI()).ifPresent(id -> uri.queryParam(CoordinatorTerm.NODE_PARAMETER, id));
        URI stamped = uri.build(true).toUri();
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
}
