package dev.kvstore.coordinator.membership;

import java.time.Instant;

/**
 * A registered node as the coordinator sees it.
 *
 * @param notWritable      why its log cannot make writes durable, as it reported; null while it can
 * @param notWritableSince when it first reported so (null while writable)
 * @param diskFull         whether its disk is below the high watermark (new values refused with 507)
 */
public record Member(String id, String url, NodeState state, Instant lastHeartbeat, String notWritable,
                     Instant notWritableSince, boolean diskFull) {

    /** A node that can write. */
    public Member(String id, String url, NodeState state, Instant lastHeartbeat) {
        this(id, url, state, lastHeartbeat, null, null, false);
    }

    public boolean isUp() {
        return state == NodeState.UP;
    }

    /** UP, and its log makes writes durable: a replica a write can go to. */
    public boolean isWritable() {
        return isUp() && notWritable == null;
    }

    Member withState(NodeState next) {
        return new Member(id, url, next, lastHeartbeat, notWritable, notWritableSince, diskFull);
    }

    Member heardAt(Instant at) {
        return new Member(id, url, state, at, notWritable, notWritableSince, diskFull);
    }

    /** As the node reported itself at {@code at}: writable or not (why), disk full or not. */
    Member reported(boolean writable, String why, boolean full, Instant at) {
        if (writable) {
            return new Member(id, url, state, lastHeartbeat, null, null, full);
        }
        return new Member(id, url, state, lastHeartbeat, why == null ? "not writable" : why,
                notWritableSince == null ? at : notWritableSince, full);
    }
}
