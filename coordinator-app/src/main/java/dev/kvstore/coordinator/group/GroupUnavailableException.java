package dev.kvstore.coordinator.group;

/**
 * This coordinator cannot act for the group now: it is not the leader, no member is, or a change did
 * not commit in time. Callers answer 503 with Retry-After; the state is as it was or, for a change that
 * timed out, as the next leader finds it in the log.
 */
public final class GroupUnavailableException extends RuntimeException {

    public GroupUnavailableException(String message) {
        super(message);
    }
}
