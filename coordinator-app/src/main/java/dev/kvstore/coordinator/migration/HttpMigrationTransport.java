package dev.kvstore.coordinator.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.RangeCopyRequest;
import dev.kvstore.model.RangeMoveRequest;
import dev.kvstore.model.RangeRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The nodes' {@code /internal/ranges} API. A copy can take long, so it gets its own read timeout; the
 * ring announcement is a small call to every live node, so a node that stopped answering (but is not
 * DOWN yet) holds the rebalancer for the short read timeout, not the migration one.
 */
public final class HttpMigrationTransport implements MigrationTransport {

    private final RestClient http;
    private final RestClient quick;

    /**
     * @param http  a client whose read timeout allows a whole range to stream
     * @param quick a client with the read timeout of ordinary node calls
     */
    public HttpMigrationTransport(RestClient http, RestClient quick) {
        this.http = http;
        this.quick = quick;
    }

    @Override
    public long copy(String targetUrl, Table targetTable, String sourceUrl, Table sourceTable, List<HashRange> ranges) {
        return post(targetUrl + "/internal/ranges/copy", new RangeCopyRequest(sourceUrl, sourceTable, targetTable, ranges));
    }

    @Override
    public long move(String url, Table from, Table to, List<HashRange> ranges) {
        return post(url + "/internal/ranges/move", new RangeMoveRequest(from, to, ranges));
    }

    @Override
    public long drop(String url, Table table, List<HashRange> ranges) {
        return post(url + "/internal/ranges/drop", new RangeRequest(table, ranges));
    }

    @Override
    public long count(String url, Table table, List<HashRange> ranges) {
        return post(url + "/internal/ranges/count", new RangeRequest(table, ranges));
    }

    @Override
    public void announceRing(String url, RingView ring) {
        try {
            quick.put().uri(url + "/internal/ring").contentType(MediaType.APPLICATION_JSON).body(ring)
                    .retrieve().toBodilessEntity();
        } catch (RestClientException e) {
            throw new MigrationStepException(url + " did not take the ring: " + e.getMessage(), e);
        }
    }

    private long post(String url, Object body) {
        try {
            RangeResult result = http.post().uri(url).contentType(MediaType.APPLICATION_JSON).body(body)
                    .retrieve().body(RangeResult.class);
            return result == null ? 0 : result.keys();
        } catch (RestClientException e) {
            throw new MigrationStepException(url + " failed: " + e.getMessage(), e);
        }
    }
}
