package dev.kvstore.model;

/**
 * What a node tells the coordinator with each heartbeat ({@code PUT /nodes/{id}/heartbeat}), and at once
 * when its log fails. A heartbeat without a body is a node that can write.
 *
 * @param writable           whether its write-ahead log makes writes durable; false after a failed write or
 *                           fsync (a full disk, a failing device) until the node has reopened its log
 * @param notWritableReason  why not, for operators (the error the log hit); null when writable
 * @param diskFull           whether its disk is below the high watermark, where it takes no new values (a PUT
 *                           is refused with 507) but still takes deletes; null from a node that does not say
 */
public record NodeHeartbeat(Boolean writable, String notWritableReason, Boolean diskFull) {

    /** A node that can write and has room. */
    public static final NodeHeartbeat WRITABLE = new NodeHeartbeat(true, null, false);

    public boolean canWrite() {
        return !Boolean.FALSE.equals(writable);
    }

    public boolean isDiskFull() {
        return Boolean.TRUE.equals(diskFull);
    }
}
