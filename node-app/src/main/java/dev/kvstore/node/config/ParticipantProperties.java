package dev.kvstore.node.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param decisionTimeout  how long a prepared transaction waits for its decision before the node asks
 *                         the coordinator, then the other participant
 * @param resolveInterval  how often the node looks for such transactions
 * @param outcomeRetention how long decided outcomes are kept to answer retries and peers
 */
@ConfigurationProperties("kv.participant")
public record ParticipantProperties(@DefaultValue("5s") Duration decisionTimeout,
                                    @DefaultValue("1s") Duration resolveInterval,
                                    @DefaultValue("10m") Duration outcomeRetention) {
}
