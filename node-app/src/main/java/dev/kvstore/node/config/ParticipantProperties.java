package dev.kvstore.node.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param decisionTimeout  how long a prepared transaction waits for its decision before the node asks
 *                         the coordinator, then the other participant
 * @param resolveInterval  how often the node looks for such transactions
 * @param outcomeRetention how long decided outcomes are kept to answer retries and peers
 * @param tombstoneRetention how long a deletion is remembered, so an older write of the key arriving later
 *                         (a late commit, a copy from a stale replica) is refused; a node away longer than
 *                         this should rejoin with an empty data directory
 * @param heldKeyWait      how long a prepare or a read of a key held by an undecided transaction waits for
 *                         its decision before voting no or refusing the read as in doubt
 */
@ConfigurationProperties("kv.participant")
public record ParticipantProperties(@DefaultValue("5s") Duration decisionTimeout,
                                    @DefaultValue("1s") Duration resolveInterval,
                                    @DefaultValue("10m") Duration outcomeRetention,
                                    @DefaultValue("24h") Duration tombstoneRetention,
                                    @DefaultValue("500ms") Duration heldKeyWait) {
}
