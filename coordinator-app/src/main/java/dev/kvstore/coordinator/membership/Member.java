package dev.kvstore.coordinator.membership;

import java.time.Instant;

/**
 * A registered node as the coordinator sees it.
 *
 * @param notWritable      why its log cannot make writes durable, as it reported; null while it can
 * @param notWritableSince when it first reported so (null while writable)
 * @param diskFull         whether its disk is below the high watermark (new values refused with 507)
 * @param confirmed        whether the node itself reached this coordinator (registered or sent a heartbeat)
 *                         since the table was last restored from the group: until then its URL is only what
 *                         the group last knew, which the node may have left by restarting
 */
public record Member(String id, String url, NodeState state, Instant lastHeartbeat, String notWritable,
                     Instant notWritableSince, boolean diskFull, boolean confirmed) {

    /** A node that can write, heard from itself. */
    public Member(String id, String url, NodeState state, Instant lastHeartbeat) {
        this(id, url, state, lastHeartbeat, null, null, false, true);
    }

    /** As the group recorded it, not heard from by this coordinator yet. */
    static Member restored(String id, String url, NodeState state, Instant now) {
        return new Member(id, url, state, now, null, null, false, false);
    }

    public boolean isUp() {
        return state == NodeState.UP;
    }

    /** UP, at a known address, and its log makes writes durable: a replica a write can go to. */
    public boolean isWritable() {
        return isUp() && url != null && notWritable == null;
    }

    Member withState(NodeState next) {
        return new Member(id, url, next, lastHeartbeat, notWritable, notWritableSince, diskFull, confirmed);
    }

    Member heardAt(Instant at) {
        return new Member(id, url, state, at, notWritable, notWritableSince, diskFull, confirmed);
    }

    /** Without an address: another node registered at the one it had. */
    Member displaced() {
        return new Member(id, null, state, lastHeartbeat, notWritable, notWritableSince, diskFull, false);
    }

    /** Heard from itself. */
    Member confirm() {
        return confirmed ? this : new Member(id, url, state, lastHeartbeat, notWritable, notWritableSince, diskFull, true);
    }

    /** As the node reported itself at {@code at}: writable or not (why), disk full or not. */
    Member reported(boolean writable, String why, boolean full, Instant at) {
        if (writable) {
            return new Member(id, url, state, lastHeartbeat, null, null, full, confirmed);
        }
        return new Member(id, url, state, lastHeartbeat, why == null ? "not writable" : why,
                notWritableSince == null ? at : notWritableSince, full, confirmed);
    }
}
