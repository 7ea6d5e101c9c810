package dev.kvstore.coordinator.kv;

import java.time.Duration;

/** Other requests held the key longer than the lock timeout. */
public class KeyBusyException extends ReplicasUnavailableException {

    public KeyBusyException(String key, Duration waited) {
        super("key '" + key + "' stayed busy with other writes for " + waited.toMillis() + " ms");
    }
}
