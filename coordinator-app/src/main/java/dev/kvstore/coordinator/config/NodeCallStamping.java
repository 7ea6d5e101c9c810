package dev.kvstore.coordinator.config;

import dev.kvstore.coordinator.group.Leadership;
import dev.kvstore.coordinator.nodeclient.NodeCallHooks;
import dev.kvstore.model.CoordinatorTerm;
import dev.kvstore.web.security.SigningInterceptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * What every call to a node carries and reports, in one place: for the batches, which the transport
 * sends itself, as {@link NodeCallHooks}; for every RestClient call to a node, as an interceptor.
 * <ul>
 *   <li>The leader's term on the query ({@code ?term=7}), ahead of the signature that covers the query: a
 *   node keeps the highest term it has seen and refuses older ones, so a deposed leader's late messages
 *   cannot land. A coordinator that never led adds nothing (it sends nothing). A refusal names the node's
 *   term ({@link CoordinatorTerm#CURRENT_TERM_HEADER}), which goes to {@code laterTerm}.</li>
 *   <li>The node recorded at the URL ({@code ?node=node-2}): another node listening there now (the port
 *   was freed by a restart) refuses with {@code 421} instead of acting on a message meant for another.</li>
 *   <li>A refused connection goes to {@code refused}, and the call still fails.</li>
 *   <li>The signature, by the app's one signer: a RestClient's own signing interceptor (every RestClient
 *   the app builds has it, after this one) signs its calls; the transport asks {@link #authorization}.</li>
 * </ul>
 */
final class NodeCallStamping implements NodeCallHooks, ClientHttpRequestInterceptor {

    private static final int MAX_STAMPED = 256;

    private final Leadership leadership;
    private final LongConsumer laterTerm;
    private final Function<URI, Optional<String>> nodeAt;
    private final Consumer<URI> refused;
    private final SigningInterceptor signer;
    /**
     * Stamped URIs of the endpoints without a query (the batch endpoints, a few per node); the calls with
     * a query (a key, a range) are stamped each time. Bounded, for a cluster whose nodes come and go.
     */
    private final ConcurrentHashMap<URI, Stamped> stamped = new ConcurrentHashMap<>();

    NodeCallStamping(Leadership leadership, LongConsumer laterTerm, Function<URI, Optional<String>> nodeAt,
                     Consumer<URI> refused, SigningInterceptor signer) {
        this.leadership = leadership;
        this.laterTerm = laterTerm;
        this.nodeAt = nodeAt;
        this.refused = refused;
        this.signer = signer;
    }

    @Override
    public URI target(URI endpoint) {
        long term = leadership.messageTerm();
        if (term == 0) {
            return endpoint;
        }
        Optional<String> node = nodeAt.apply(endpoint);
        if (endpoint.getRawQuery() != null) {
            return stamp(endpoint, term, node);
        }
        Stamped last = stamped.get(endpoint);
        if (last == null || last.term() != term || !last.node().equals(node)) {
            if (stamped.size() >= MAX_STAMPED) {
                stamped.clear();
            }
            last = new Stamped(term, node, stamp(endpoint, term, node));
            stamped.put(endpoint, last);
        }
        return last.uri();
    }

    /** A batch endpoint's stamped URI, parsed once per term instead of on every batch. */
    private record Stamped(long term, Optional<String> node, URI uri) {
    }

    @Override
    public String authorization(String method, URI target, byte[] body) {
        return signer.authorization(method, target, body);
    }

    @Override
    public void answered(int status, String currentTerm) {
        if (status == 409 && currentTerm != null && currentTerm.matches("\\d{1,18}")) {
            laterTerm.accept(Long.parseLong(currentTerm));
        }
    }

    @Override
    public void refused(URI endpoint) {
        refused.accept(endpoint);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        URI endpoint = request.getURI();
        URI target = target(endpoint);
        ClientHttpResponse response;
        try {
            response = execution.execute(target == endpoint ? request : new HttpRequestWrapper(request) {
                @Override
                public URI getURI() {
                    return target;
                }
            }, body);
        } catch (ConnectException e) {
            refused(endpoint);
            throw e;
        }
        int status = response.getStatusCode().value();
        answered(status, status == 409 ? response.getHeaders().getFirst(CoordinatorTerm.CURRENT_TERM_HEADER) : null);
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
