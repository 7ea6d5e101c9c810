package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * {@code POST /nodes} to register, {@code PUT /nodes/{id}/heartbeat} for heartbeats (404: unknown node,
 * 410: removed, 401: wrong cluster secret, 409: the id is in use by another node), at whichever coordinator
 * answers ({@link CoordinatorEndpoints}).
 */
public final class HttpCoordinatorClient implements CoordinatorClient {

    private static final Logger log = LoggerFactory.getLogger(HttpCoordinatorClient.class);

    private final CoordinatorEndpoints coordinators;
    private final RestClient http;

    /** @param http a client without a base URL */
    public HttpCoordinatorClient(CoordinatorEndpoints coordinators, RestClient http) {
        this.coordinators = coordinators;
        this.http = http;
    }

    /**
     * The failures of a call to one coordinator after which the next is asked: no connection or no answer
     * in time ({@link ResourceAccessException}), or a 5xx (a follower without a leader answers 503). A 4xx
     * is the coordinators' answer.
     */
    public static boolean noAnswer(RuntimeException e) {
        return e instanceof ResourceAccessException
                || e instanceof RestClientResponseException response && response.getStatusCode().is5xxServerError();
    }

    @Override
    public Result register(NodeRegistration registration) {
        return call(base -> http.post().uri(base + "/nodes").body(registration).retrieve().toBodilessEntity());
    }

    @Override
    public Result heartbeat(String nodeId, NodeHeartbeat state) {
        return call(base -> http.put().uri(base + "/nodes/{id}/heartbeat", nodeId).body(state).retrieve()
                .toBodilessEntity());
    }

    private Result call(CoordinatorEndpoints.Attempt<?> request) {
        try {
            coordinators.call(request);
            return Result.OK;
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                return Result.UNKNOWN_NODE;
            }
            if (e.getStatusCode().value() == HttpStatus.GONE.value()) {
                return Result.REMOVED;
            }
            if (e.getStatusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
                log.debug("coordinator refused our signature: {}", e.getResponseBodyAsString());
                return Result.UNAUTHORIZED;
            }
            if (e.getStatusCode().value() == HttpStatus.CONFLICT.value()) {
                log.warn("coordinator refused the registration: {}", e.getResponseBodyAsString());
                return Result.ID_IN_USE;
            }
            log.debug("coordinator answered {}", e.getStatusCode());
            return Result.FAILED;
        } catch (RestClientException e) {
            log.debug("coordinator unreachable: {}", e.getMessage());
            return Result.FAILED;
        }
    }
}
