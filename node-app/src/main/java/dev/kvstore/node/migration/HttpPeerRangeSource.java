package dev.kvstore.node.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.RangeRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Pulls ranges with {@code POST <source>/internal/ranges/export}, streaming the answer into the install;
 * every failure becomes a {@link RangeSourceException} naming the source: 503 when worth repeating (the
 * source is unreachable or its stream was cut off), 502 otherwise.
 */
public final class HttpPeerRangeSource implements PeerRangeSource {

    private static final int MAX_SOURCE_DETAIL = 300;

    private final RestClient copyClient;

    /** @param copyClient a client without base URL whose read timeout bounds a whole copy */
    public HttpPeerRangeSource(RestClient copyClient) {
        this.copyClient = copyClient;
    }

    @Override
    public RangeResult pull(URI source, String sourceUrl, Table table, List<HashRange> ranges,
                            Function<InputStream, RangeResult> install) {
        URI export = URI.create(source.toString().replaceAll("/+$", "") + "/internal/ranges/export");
        try {
            return copyClient.post().uri(export)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_PROBLEM_JSON)
                    .body(new RangeRequest(table, ranges))
                    .exchange((req, res) -> {
                        if (!res.getStatusCode().is2xxSuccessful()) {
                            throw new RangeSourceException(sourceUrl, NodeError.RANGE_SOURCE_FAILED, "the source node "
                                    + sourceUrl + " answered " + res.getStatusCode().value() + " to the export: "
                                    + excerpt(res.getBody().readNBytes(MAX_SOURCE_DETAIL)), 0, null);
                        }
                        return install.apply(res.getBody());
                    });
        } catch (ResourceAccessException e) {
            throw new RangeSourceException(sourceUrl, NodeError.RANGE_SOURCE_UNAVAILABLE,
                    "could not reach the source node " + sourceUrl + ": " + rootMessage(e), 0, e);
        } catch (RangeStreamException e) {
            boolean retryable = e.kind() == RangeStreamException.Kind.TRUNCATED;
            throw new RangeSourceException(sourceUrl,
                    retryable ? NodeError.RANGE_SOURCE_UNAVAILABLE : NodeError.RANGE_SOURCE_FAILED,
                    "the export from the source node " + sourceUrl + " failed: " + e.getMessage()
                            + (retryable ? "; repeat the copy to complete it" : ""), e.installed(), e);
        } catch (RestClientException e) {
            throw new RangeSourceException(sourceUrl, NodeError.RANGE_SOURCE_FAILED,
                    "the export from the source node " + sourceUrl + " failed: " + rootMessage(e), 0, e);
        }
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "(no body)" : text;
    }

    /** What went wrong, without the client's wrapper: "ConnectException, caused by ClosedChannelException". */
    private static String rootMessage(Throwable e) {
        Throwable first = e instanceof RestClientException && e.getCause() != null ? e.getCause() : e;
        List<String> parts = new ArrayList<>();
        for (Throwable t = first; t != null && parts.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            parts.add(t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")"));
        }
        return String.join(", caused by ", parts);
    }
}
