package dev.kvstore.coordinator.membership;

public enum NodeState {
    UP,
    DOWN
}
