package dev.kvstore.coordinator.membership;

import java.time.Instant;

/** A registered node as the coordinator sees it. */
public record Member(String id, String url, NodeState state, Instant lastHeartbeat) {

    public boolean isUp() {
        return state == NodeState.UP;
    }
}
