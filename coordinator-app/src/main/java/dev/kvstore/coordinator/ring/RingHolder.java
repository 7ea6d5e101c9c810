package dev.kvstore.coordinator.ring;

/**
 * The ring requests are routed by. Empty until the cluster has formed (after a coordinator start,
 * once the nodes have re-registered); afterwards replaced only by the rebalancer, at a cut-over.
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
}
