package dev.kvstore.node.wal;

/** When an appended record counts as durable. */
public enum FsyncPolicy {
    /** A record is acknowledged only after an fsync covering it; concurrent appends share one fsync. */
    ALWAYS,
    /**
     * A record is acknowledged once written to the operating system, and fsynced by
     * {@link WriteAheadLog#force()} on a timer: survives a process crash, not a power cut within the
     * interval.
     */
    BATCHED,
    /** Never fsync. Survives a process crash only; for tests and benchmarks that say so. (Quote it in
     * YAML: a bare {@code off} there is the boolean false.) */
    OFF
}
