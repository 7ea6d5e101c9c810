package dev.kvstore.coordinator.ring;

/**
 * The ring requests are routed by. Empty until the cluster has formed (after a coordinator start,
 * once the nodes have re-registered); afterwards replaced only by the rebalancer, at a cut-over, and
 * by a new leader taking over.
 */
public final class RingHolder {

    private volatile HashRing current = HashRing.empty();
    private volatile boolean formed;

    public HashRing current() {
        return current;
    }

    public boolean formed() {
        return formed;
    }

    public void publish(HashRing ring) {
        current = ring;
        formed = true;
    }

    /** Back to no ring: a new leader whose group has none yet forms it from the nodes' reports. */
    public void unform() {
        formed = false;
        current = HashRing.empty();
    }
}
