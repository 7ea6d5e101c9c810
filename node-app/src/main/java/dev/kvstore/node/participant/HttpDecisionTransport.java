package dev.kvstore.node.participant;

import dev.kvstore.model.NodeLocation;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.node.cluster.CoordinatorEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks {@code GET <coordinator>/internal/txn/{txId}} (at whichever coordinator answers: {@link CoordinatorEndpoints})
 * and {@code POST <peer>/internal/txn/{txId}/inquiry}.
 * A peer named by node id is looked up on every inquiry ({@code GET <coordinator>/internal/nodes/{id}}):
 * nodes come back on new ports, and inquiries are rare enough that a cache would only risk a stale URL.
 * Any error or non-2xx answer counts as "cannot be reached": only a real answer may decide.
 */
public final class HttpDecisionTransport implements DecisionTransport {

    private static final Logger log = LoggerFactory.getLogger(HttpDecisionTransport.class);
    /** A transaction whose peer is gone for good is retried every second; its WARN says so once a minute. */
    static final Duration REMOVED_PEER_WARNING_INTERVAL = Duration.ofMinutes(1);

    private final String nodeId;
    private final CoordinatorEndpoints coordinators;
    private final RestClient http;
    private final Clock clock;
    private final Function<String, Optional<String>> keyOf;
    private final ConcurrentHashMap<String, Instant> warnedAt = new ConcurrentHashMap<>();

    /**
     * @param nodeId      this node's id, for the logs and the operator's instructions
     * @param coordinators the coordinators, asked in turn until one answers
     * @param http         a client without base URL, for the coordinators and the peers
     * @param keyOf        the key a transaction in doubt holds here, for the operator's instructions
     */
    public HttpDecisionTransport(String nodeId, CoordinatorEndpoints coordinators, RestClient http, Clock clock,
                                 Function<String, Optional<String>> keyOf) {
        this.nodeId = nodeId;
        this.coordinators = coordinators;
        this.http = http;
        this.clock = clock;
        this.keyOf = keyOf;
    }

    @Override
    public Optional<TxnStatus> askCoordinator(String txId) {
        try {
            return Optional.ofNullable(coordinators.call(base -> http.get().uri(base + "/internal/txn/{txId}", txId)
                    .retrieve().body(TxnStatus.class)));
        } catch (RestClientException e) {
            log.debug("nodeId={} txId={} coordinator could not answer: {}", nodeId, txId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<TxnStatus> inquirePeer(String peer, String txId, boolean resolving, long version) {
        boolean byUrl = isUrl(peer);
        Optional<String> url = byUrl ? Optional.of(peer) : locate(peer, txId);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Naming the node asked makes whoever holds that URL now refuse unless it is that node: a port
            // freed by a restart may already serve another node, whose "never prepared, so aborted" would
            // decide against a commit.
            String inquiry = url.get() + "/internal/txn/{txId}/inquiry?resolving={resolving}&version={version}"
                    + (byUrl ? "" : "&node={peer}");
            return Optional.ofNullable(http.post().uri(inquiry, txId, resolving, version, peer).retrieve()
                    .body(TxnStatus.class));
        } catch (RestClientException | IllegalArgumentException e) {
            log.debug("nodeId={} txId={} peer {} at {} could not answer: {}", nodeId, txId, peer, url.get(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Logs written before peers were named by id hold their base URLs. */
    static boolean isUrl(String peer) {
        String lower = peer.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private Optional<String> locate(String peerId, String txId) {
        try {
            NodeLocation location = coordinators.call(base -> http.get().uri(base + "/internal/nodes/{id}", peerId)
                    .retrieve().body(NodeLocation.class));
            return Optional.ofNullable(location).map(NodeLocation::url).filter(url -> !url.isBlank());
        } catch (HttpClientErrorException.Gone removed) {
            warnPeerRemoved(peerId, txId);
            return Optional.empty();
        } catch (RestClientException e) {
            log.debug("nodeId={} txId={} could not locate peer {}: {}", nodeId, txId, peerId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The peer left the cluster, so nobody can say any more whether it committed: guessing could make
     * the replicas disagree, so the key stays held and the operator is told how to settle it.
     */
    private void warnPeerRemoved(String peerId, String txId) {
        Instant now = clock.instant();
        warnedAt.values().removeIf(at -> !now.isBefore(at.plus(REMOVED_PEER_WARNING_INTERVAL)));
        if (warnedAt.putIfAbsent(txId, now) != null) {
            return;
        }
        log.warn("nodeId={} txId={} key={} stays held: its peer {} was removed from the cluster, so whether it "
                        + "committed cannot be learned. Settle it on the coordinator: GET /nodes/{}/transactions, then "
                        + "POST /nodes/{}/transactions/{} with {\"outcome\":\"ABORTED\"} or {\"outcome\":\"COMMITTED\"} "
                        + "(README, \"Transactions in doubt\")", nodeId, txId, keyOf.apply(txId).orElse("?"), peerId,
                nodeId, nodeId, txId);
    }
}
