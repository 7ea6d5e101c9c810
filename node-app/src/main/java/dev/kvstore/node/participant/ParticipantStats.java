package dev.kvstore.node.participant;

/**
 * A participant's counters since its process started; recovery's replay is not counted.
 *
 * @param votesYes prepares answered yes (a repeated prepare repeats its vote and counts again)
 * @param votesNo  prepares answered no: key held, version conflict, or already aborted
 * @param commits  transactions committed here
 * @param aborts   transactions aborted here, including aborts that arrived before any prepare
 */
public record ParticipantStats(long votesYes, long votesNo, long commits, long aborts) {
}
