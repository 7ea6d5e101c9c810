package dev.kvstore.coordinator.kv;

/** The key's replicas cannot take the request now; nothing was committed. Retry later. */
public class ReplicasUnavailableException extends RuntimeException {

    public ReplicasUnavailableException(String message) {
        super(message);
    }
}
