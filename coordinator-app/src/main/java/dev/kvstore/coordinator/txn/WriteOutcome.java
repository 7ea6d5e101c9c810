package dev.kvstore.coordinator.txn;

/** How a write ended, as the client must learn it. */
public sealed interface WriteOutcome {

    /** Committed on every replica. {@code created} when the key did not exist before. */
    record Committed(long version, boolean created) implements WriteOutcome {
    }

    /** Aborted everywhere because the condition failed; {@code currentVersion} 0 means absent. */
    record ConditionFailed(long currentVersion) implements WriteOutcome {
    }

    /**
     * Aborted everywhere because a replica's disk is below its high watermark: it takes no new values until
     * space is freed (deletes still go through); nothing was committed.
     */
    record InsufficientStorage(String nodeId) implements WriteOutcome {
    }

    /** Aborted everywhere because a replica could not take part now; nothing was committed. */
    record Unavailable(String nodeId, String reason) implements WriteOutcome {
    }

    /**
     * Decided to commit, but not every replica confirmed in time; the coordinator keeps retrying.
     * The client cannot know whether a read will see it yet.
     */
    record Unconfirmed(long version, String nodeId) implements WriteOutcome {
    }
}
