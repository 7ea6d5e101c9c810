package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.NodeRegistration;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class RegistrationHealthIndicatorTest {

    private final RegistrarTest.ScriptedCoordinator coordinator = new RegistrarTest.ScriptedCoordinator();
    private final Registrar registrar = new Registrar(coordinator, () -> null);
    private final RegistrationHealthIndicator health =
            new RegistrationHealthIndicator(registrar, "node-1", new CoordinatorEndpoints(
                    List.of(URI.create("http://coordinator-1:8080"), URI.create("http://coordinator-2:8080")), e -> true));

    @Test
    void notYetRegisteredIsOutOfService() {
        coordinator.registerAnswers.add(CoordinatorClient.Result.FAILED);
        registrar.announce(new NodeRegistration("node-1", "http://127.0.0.1:4000"));
        registrar.tick();

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(answer.getDetails()).containsEntry("state", "UNREGISTERED").containsEntry("nodeId", "node-1")
                .containsEntry("coordinator", "http://coordinator-1:8080")
                .containsEntry("coordinators", List.of("http://coordinator-1:8080", "http://coordinator-2:8080"))
                .containsEntry("consecutiveFailures", 1);
    }

    @Test
    void acceptedRegistrationIsUpWithTheUrlRegistered() {
        registrar.announce(new NodeRegistration("node-1", "http://127.0.0.1:4000"));
        registrar.tick();

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.UP);
        assertThat(answer.getDetails()).containsEntry("state", "REGISTERED").containsEntry("url", "http://127.0.0.1:4000");
    }

    @Test
    void unansweredHeartbeatsLeaveItUpAndCountTheFailures() {
        registrar.announce(new NodeRegistration("node-1", "http://127.0.0.1:4000"));
        registrar.tick();
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.FAILED);
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.FAILED);
        registrar.tick();
        registrar.tick();

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.UP);
        assertThat(answer.getDetails()).containsEntry("consecutiveFailures", 2);
    }

    @Test
    void removedByTheCoordinatorIsOutOfService() {
        registrar.announce(new NodeRegistration("node-1", "http://127.0.0.1:4000"));
        registrar.tick();
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.REMOVED);
        registrar.tick();

        Health answer = health.health();

        assertThat(answer.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(answer.getDetails()).containsEntry("state", "REMOVED");
    }
}
