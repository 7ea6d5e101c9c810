package dev.kvstore.node.wal;

import java.io.IOException;

/**
 * Observes the log's writes, fsyncs and failure, for metrics and for telling the coordinator. Called on
 * the thread that did the I/O, right after it; implementations must be cheap and must not call back
 * into the log. Whatever one throws is logged and dropped: observing never fails a write.
 */
public interface WalListener {

    /** One batch of {@code records} records, {@code bytes} long, went to the operating system in one write. */
    default void batchWritten(long records, long bytes) {
    }

    /** A log segment was fsynced; the fsync took {@code nanos}. */
    default void fsynced(long nanos) {
    }

    /** The log failed ({@code error}) and refuses appends until it is reopened. Called with the log locked. */
    default void failed(IOException error) {
    }
}
