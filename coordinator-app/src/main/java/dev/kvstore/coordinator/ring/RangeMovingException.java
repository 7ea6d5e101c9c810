package dev.kvstore.coordinator.ring;

import java.time.Duration;

/** The key's arc was being moved to other nodes for longer than the request could wait (a 503). */
public class RangeMovingException extends RuntimeException {

    public RangeMovingException(String key, Duration waited) {
        super("the range holding key '" + key + "' is being moved between nodes; it did not finish within "
                + waited.toMillis() + " ms");
    }
}
