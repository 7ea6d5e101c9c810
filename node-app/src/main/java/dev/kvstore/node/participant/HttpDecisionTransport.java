package dev.kvstore.node.participant;

import dev.kvstore.model.TxnStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks {@code GET <coordinator>/internal/txn/{txId}} and {@code POST <peer>/internal/txn/{txId}/inquiry}.
 * Any error or non-2xx answer counts as "cannot be reached": only a real answer may decide.
 */
public final class HttpDecisionTransport implements DecisionTransport {

    private static final Logger log = LoggerFactory.getLogger(HttpDecisionTransport.class);

    private final RestClient coordinator;
    private final RestClient peers;

    /**
     * @param coordinator a client whose base URL is the coordinator's
     * @param peers       a client without base URL, with the same timeouts
     */
    public HttpDecisionTransport(RestClient coordinator, RestClient peers) {
        this.coordinator = coordinator;
        this.peers = peers;
    }

    @Override
    public Optional<TxnStatus> askCoordinator(String txId) {
        try {
            return Optional.ofNullable(coordinator.get().uri("/internal/txn/{txId}", txId)
                    .retrieve().body(TxnStatus.class));
        } catch (RestClientException e) {
            log.debug("txId={} coordinator could not answer: {}", txId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<TxnStatus> inquirePeer(String peerUrl, String txId) {
        try {
            return Optional.ofNullable(peers.post().uri(peerUrl + "/internal/txn/{txId}/inquiry", txId)
                    .retrieve().body(TxnStatus.class));
        } catch (RestClientException | IllegalArgumentException e) {
            log.debug("txId={} peer {} could not answer: {}", txId, peerUrl, e.getMessage());
            return Optional.empty();
        }
    }
}
