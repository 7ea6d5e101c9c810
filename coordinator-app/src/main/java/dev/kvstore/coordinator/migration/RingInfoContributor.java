package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** {@code ring} in {@code /actuator/info}: whether it has formed, its members, virtual nodes and epoch. */
public final class RingInfoContributor implements InfoContributor {

    private final RingHolder ring;
    private final Rebalancer rebalancer;
    private final int virtualNodes;

    public RingInfoContributor(RingHolder ring, Rebalancer rebalancer, int virtualNodes) {
        this.ring = ring;
        this.rebalancer = rebalancer;
        this.virtualNodes = virtualNodes;
    }

    @Override
    public void contribute(Info.Builder builder) {
        HashRing current = ring.current();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("formed", ring.formed());
        details.put("size", current.size());
        details.put("nodes", List.copyOf(current.nodes()));
        details.put("virtualNodes", virtualNodes);
        details.put("epoch", rebalancer.epoch());
        builder.withDetail("ring", details);
    }
}
