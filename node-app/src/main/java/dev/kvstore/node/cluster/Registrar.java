package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.RingView;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node registered: each {@link #tick()} (one per heartbeat interval) registers if the node
 * is not registered yet, otherwise sends a heartbeat, and registers again at once when the
 * coordinator has forgotten the node (after its restart). A node the coordinator says was removed
 * stays quiet until its process is restarted.
 */
public final class Registrar {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    public enum State {
        UNREGISTERED,
        REGISTERED,
        /** Removed from the cluster by an operator: no more heartbeats or registrations until restarted. */
        REMOVED
    }

    private final CoordinatorClient coordinator;
    private final Supplier<RingView> lastRing;
    private final AtomicReference<NodeRegistration> self = new AtomicReference<>();
    private volatile State state = State.UNREGISTERED;
    private volatile int failures;

    /** @param lastRing the last ring the coordinator published here, sent with every registration */
    public Registrar(CoordinatorClient coordinator, Supplier<RingView> lastRing) {
        this.coordinator = coordinator;
        this.lastRing = lastRing;
    }

    /** Sets who this node is; nothing is sent before the server knows its port. */
    public void announce(NodeRegistration registration) {
        self.set(registration);
    }

    public synchronized void tick() {
        NodeRegistration me = self.get();
        if (me == null || state == State.REMOVED) {
            return;
        }
        if (state == State.REGISTERED) {
            CoordinatorClient.Result result = coordinator.heartbeat(me.id());
            switch (result) {
                case OK -> failures = 0;
                case FAILED -> failures++;
                case UNKNOWN_NODE -> {
                    log.warn("nodeId={} coordinator does not know this node; registering again", me.id());
                    state = State.UNREGISTERED;
                }
                case REMOVED -> {
                    log.warn("nodeId={} was removed from the cluster; it will not register again until restarted",
                            me.id());
                    state = State.REMOVED;
                    return;
                }
            }
        }
        if (state == State.UNREGISTERED) {
            if (coordinator.register(me.withLastRing(lastRing.get())) == CoordinatorClient.Result.OK) {
                log.info("nodeId={} registered with the coordinator as {}", me.id(), me.url());
                state = State.REGISTERED;
                failures = 0;
            } else if (failures++ % 10 == 0) {
                log.info("nodeId={} coordinator not reachable yet; will keep trying", me.id());
            }
        }
    }

    public State state() {
        return state;
    }

    /** Heartbeats or registrations in a row the coordinator did not answer (0 after an accepted one). */
    public int consecutiveFailures() {
        return failures;
    }

    public NodeRegistration self() {
        return self.get();
    }
}
