package dev.kvstore.node.participant;

import java.time.Duration;

/**
 * @param decisionTimeout  how long a prepared transaction waits for commit or abort before the
 *                         participant goes asking for the outcome
 * @param outcomeRetention how long decided outcomes are remembered for retries and peers' questions;
 *                         must well exceed the peers' decision timeout
 * @param maxValueBytes    the largest value a prepare may carry
 */
public record ParticipantOptions(Duration decisionTimeout, Duration outcomeRetention, int maxValueBytes) {
}
