package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeHeartbeat;
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
 * stays quiet until its process is restarted. A registration refused because another node is UP under
 * this id is retried only every {@value #ID_IN_USE_RETRY_TICKS} ticks (that node may be this one's
 * dead predecessor, about to be declared DOWN); refused credentials are logged, at a bounded rate.
 * Every heartbeat carries the node's state (whether its log can write, whether its disk has room), and
 * a change of it is sent at once ({@link #tellNow}) instead of at the next tick.
 */
public final class Registrar {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);
    static final int ID_IN_USE_RETRY_TICKS = 5;
    private static final int UNAUTHORIZED_LOG_EVERY = 30;

    public enum State {
        UNREGISTERED,
        REGISTERED,
        /** Removed from the cluster by an operator: no more heartbeats or registrations until restarted. */
        REMOVED
    }

    private final CoordinatorClient coordinator;
    private final Supplier<RingView> lastRing;
    private final Supplier<NodeHeartbeat> report;
    private final AtomicReference<NodeRegistration> self = new AtomicReference<>();
    private volatile State state = State.UNREGISTERED;
    private volatile int failures;
    private int unauthorized;
    private int idInUseWait;

    /**
     * @param lastRing the last ring the coordinator published here, sent with every registration
     * @param report   the node's state now (can it write, has its disk room), sent with every heartbeat
     */
    public Registrar(CoordinatorClient coordinator, Supplier<RingView> lastRing, Supplier<NodeHeartbeat> report) {
        this.coordinator = coordinator;
        this.lastRing = lastRing;
        this.report = report;
    }

    /** For a node whose log always writes and whose disk always has room. */
    public Registrar(CoordinatorClient coordinator, Supplier<RingView> lastRing) {
        this(coordinator, lastRing, () -> NodeHeartbeat.WRITABLE);
    }

    /** Sends the node's state now, on a thread of its own, instead of at the next tick (its log just failed). */
    public void tellNow() {
        Thread.ofVirtual().name("registrar-tell").start(this::tick);
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
            CoordinatorClient.Result result = coordinator.heartbeat(me.id(), report.get());
            switch (result) {
                case OK -> {
                    failures = 0;
                    unauthorized = 0;
                }
                case FAILED, ID_IN_USE -> failures++;
                case UNAUTHORIZED -> {
                    failures++;
                    logUnauthorized(me);
                }
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
            if (idInUseWait > 0) {
                idInUseWait--;
                return;
            }
            switch (coordinator.register(me.withLastRing(lastRing.get()))) {
                case OK -> {
                    log.info("nodeId={} registered with the coordinator as {}", me.id(), me.url());
                    state = State.REGISTERED;
                    failures = 0;
                    unauthorized = 0;
                }
                case ID_IN_USE -> {
                    log.error("nodeId={} the coordinator refused the registration: another node is UP under this id "
                            + "at another URL. Is a second node configured with id {}? Retrying every {} heartbeat "
                            + "intervals in case that node is gone", me.id(), me.id(), ID_IN_USE_RETRY_TICKS);
                    idInUseWait = ID_IN_USE_RETRY_TICKS - 1;
                }
                case UNAUTHORIZED -> logUnauthorized(me);
                default -> {
                    if (failures++ % 10 == 0) {
                        log.info("nodeId={} coordinator not reachable yet; will keep trying", me.id());
                    }
                }
            }
        }
    }

    private void logUnauthorized(NodeRegistration me) {
        if (unauthorized++ % UNAUTHORIZED_LOG_EVERY == 0) {
            log.error("nodeId={} the coordinator refused this node's credentials (401): kv.cluster.secret "
                    + "(KV_CLUSTER_SECRET) must be the coordinator's; will keep trying ({} refusals so far)",
                    me.id(), unauthorized);
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
