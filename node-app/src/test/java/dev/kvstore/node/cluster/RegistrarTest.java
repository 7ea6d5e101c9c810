package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.RingView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrarTest {

    private static final NodeRegistration ME = new NodeRegistration("node-1", "http://127.0.0.1:4000");
    private static final RingView RING = new RingView(7, List.of("node-1", "node-2"));

    /** Answers each call with the next scripted result (OK once the script runs out); records calls. */
    static final class ScriptedCoordinator implements CoordinatorClient {
        final Deque<Result> registerAnswers = new ArrayDeque<>();
        final Deque<Result> heartbeatAnswers = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        NodeRegistration lastRegistration;

        @Override
        public Result register(NodeRegistration registration) {
            lastRegistration = registration;
            calls.add("register " + registration.id() + " " + registration.url());
            return registerAnswers.isEmpty() ? Result.OK : registerAnswers.poll();
        }

        @Override
        public Result heartbeat(String nodeId, NodeHeartbeat state) {
            calls.add("heartbeat " + nodeId);
            return heartbeatAnswers.isEmpty() ? Result.OK : heartbeatAnswers.poll();
        }
    }

    private final ScriptedCoordinator coordinator = new ScriptedCoordinator();
    private final Registrar registrar = new Registrar(coordinator, () -> RING);

    @Test
    void nothingIsSentBeforeTheServerKnowsItsUrl() {
        registrar.tick();

        assertThat(coordinator.calls).isEmpty();
        assertThat(registrar.state()).isEqualTo(Registrar.State.UNREGISTERED);
    }

    @Test
    void registrationIsRetriedOnEveryTickUntilItSucceeds() {
        coordinator.registerAnswers.addAll(List.of(CoordinatorClient.Result.FAILED, CoordinatorClient.Result.FAILED));
        registrar.announce(ME);

        registrar.tick();
        registrar.tick();
        assertThat(registrar.state()).isEqualTo(Registrar.State.UNREGISTERED);
        registrar.tick();

        assertThat(registrar.state()).isEqualTo(Registrar.State.REGISTERED);
        assertThat(coordinator.calls).containsExactly(
                "register node-1 http://127.0.0.1:4000", "register node-1 http://127.0.0.1:4000",
                "register node-1 http://127.0.0.1:4000");
    }

    @Test
    void registeredNodeSendsHeartbeatsAndStaysRegisteredThroughFailedOnes() {
        registrar.announce(ME);
        registrar.tick();
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.FAILED);

        registrar.tick();
        registrar.tick();

        assertThat(coordinator.calls).containsExactly(
                "register node-1 http://127.0.0.1:4000", "heartbeat node-1", "heartbeat node-1");
        assertThat(registrar.state()).isEqualTo(Registrar.State.REGISTERED);
    }

    @Test
    void coordinatorThatForgotTheNodeGetsARegistrationInTheSameTick() {
        registrar.announce(ME);
        registrar.tick();
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.UNKNOWN_NODE);

        registrar.tick();

        assertThat(coordinator.calls).containsExactly(
                "register node-1 http://127.0.0.1:4000", "heartbeat node-1", "register node-1 http://127.0.0.1:4000");
        assertThat(registrar.state()).isEqualTo(Registrar.State.REGISTERED);
    }

    @Test
    void removedNodeFallsSilentInsteadOfRegisteringAgain() {
        registrar.announce(ME);
        registrar.tick();
        coordinator.heartbeatAnswers.add(CoordinatorClient.Result.REMOVED);

        registrar.tick();
        registrar.tick();

        assertThat(coordinator.calls).containsExactly("register node-1 http://127.0.0.1:4000", "heartbeat node-1");
        assertThat(registrar.state()).isEqualTo(Registrar.State.REMOVED);
    }

    @Test
    void registrationCarriesTheLastRingThisNodeKept() {
        registrar.announce(ME);

        registrar.tick();

        assertThat(coordinator.lastRegistration.lastRing()).isEqualTo(RING);
    }

    @Test
    void registrationRefusedForAnIdInUseIsRetriedOnlyEveryFewTicks() {
        coordinator.registerAnswers.addAll(List.of(CoordinatorClient.Result.ID_IN_USE, CoordinatorClient.Result.ID_IN_USE));
        registrar.announce(ME);

        for (int i = 0; i < 2 * Registrar.ID_IN_USE_RETRY_TICKS; i++) {
            registrar.tick();
        }
        assertThat(coordinator.calls).hasSize(2);
        assertThat(registrar.state()).isEqualTo(Registrar.State.UNREGISTERED);

        registrar.tick();

        assertThat(coordinator.calls).hasSize(3);
        assertThat(registrar.state()).as("the other node went away").isEqualTo(Registrar.State.REGISTERED);
    }

    @Test
    void refusedCredentialsKeepTheNodeTryingOnEveryTick() {
        coordinator.registerAnswers.addAll(List.of(CoordinatorClient.Result.UNAUTHORIZED,
                CoordinatorClient.Result.UNAUTHORIZED));
        registrar.announce(ME);

        registrar.tick();
        registrar.tick();
        assertThat(registrar.state()).isEqualTo(Registrar.State.UNREGISTERED);
        registrar.tick();

        assertThat(coordinator.calls).hasSize(3);
        assertThat(registrar.state()).isEqualTo(Registrar.State.REGISTERED);
    }

    @Test
    void registrationCarriesTheInstanceToken() {
        registrar.announce(new NodeRegistration("node-1", "http://127.0.0.1:4000", "token-of-this-data-dir"));

        registrar.tick();

        assertThat(coordinator.lastRegistration.instanceToken()).isEqualTo("token-of-this-data-dir");
        assertThat(coordinator.lastRegistration.lastRing()).isEqualTo(RING);
    }
}
