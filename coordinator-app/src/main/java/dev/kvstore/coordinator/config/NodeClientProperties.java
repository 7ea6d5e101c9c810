package dev.kvstore.coordinator.config;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls from the coordinator to nodes.
 *
 * @param connectTimeout  to open a connection
 * @param readTimeout     to wait for an answer
 * @param retryInterval   how often unacknowledged decisions are sent again
 * @param batch           how prepares, commits and aborts to one node share requests
 */
@ConfigurationProperties("kv.nodes")
public record NodeClientProperties(@DefaultValue("500ms") Duration connectTimeout,
                                   @DefaultValue("2s") Duration readTimeout,
                                   @DefaultValue("1s") Duration retryInterval,
                                   @DefaultValue Batch batch) {

    /**
     * @param maxInFlight batches on the wire to one node at once; messages that arrive meanwhile wait
     *                    for the next, so this trades a little latency for fewer, fuller requests
     * @param maxMessages messages in one batch
     * @param maxSize     values' bytes in one batch (a single larger value travels alone); keep it well
     *                    under the nodes' {@code kv.node.max-body-size}
     * @param commitLinger how long a COMMIT (sent after the client was answered) waits to ride the next
     *                    batch to its node before it leaves alone; 0 sends it at once. The next write of
     *                    the key waits for it, so keep it to milliseconds
     */
    public record Batch(@DefaultValue("2") int maxInFlight,
                        @DefaultValue("256") int maxMessages,
                        @DefaultValue("2MB") DataSize maxSize,
                        @DefaultValue("2ms") Duration commitLinger) {
    }
}
