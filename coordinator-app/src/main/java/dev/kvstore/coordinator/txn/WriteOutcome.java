package dev.kvstore.coordinator.txn;

/** How a write ended, as the client must learn it. */
public sealed interface WriteOutcome {

    /**
     * Committed: every replica forced its YES vote (their COMMITs may still be on their way). {@code created}
     * when the key did not exist before.
     */
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
     * Not committed here, and no replica refused or confirmed the abort ({@code nodeId} did not answer): a
     * replica that voted yes may still settle it as committed with its peer, so it may or may not take effect.
     */
    record Unknown(String nodeId, String reason) implements WriteOutcome {
    }
}
