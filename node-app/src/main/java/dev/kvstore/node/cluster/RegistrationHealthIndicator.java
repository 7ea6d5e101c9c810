package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeRegistration;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The node's {@code registration} health: UP once the coordinator accepted its registration,
 * OUT_OF_SERVICE before that and after the coordinator removed it (410; it stays out until restarted).
 * Part of readiness.
 *
 * <p>A coordinator that stops answering does not change it: the node keeps serving its data and
 * registers again as soon as the coordinator says it does not know it. So a coordinator outage does
 * not take every node out of readiness at once; {@code consecutiveFailures} in the details shows it.
 * The details name every configured coordinator ({@code coordinators}) and the one that answered last
 * ({@code coordinator}).
 */
public final class RegistrationHealthIndicator implements HealthIndicator {

    private final Registrar registrar;
    private final String nodeId;
    private final CoordinatorEndpoints coordinators;

    public RegistrationHealthIndicator(Registrar registrar, String nodeId, CoordinatorEndpoints coordinators) {
        this.registrar = registrar;
        this.nodeId = nodeId;
        this.coordinators = coordinators;
    }

    @Override
    public Health health() {
        Registrar.State state = registrar.state();
        NodeRegistration self = registrar.self();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("nodeId", nodeId);
        details.put("state", state.name());
        details.put("coordinator", coordinators.current().toString());
        details.put("coordinators", coordinators.urls().stream().map(URI::toString).toList());
        if (self != null) {
            details.put("url", self.url());
        }
        details.put("consecutiveFailures", registrar.consecutiveFailures());
        Health.Builder health = state == Registrar.State.REGISTERED ? Health.up() : Health.outOfService();
        return health.withDetails(details).build();
    }
}
