package dev.kvstore.node.wal;

/**
 * Counters since the log was opened.
 *
 * @param appends    records appended
 * @param writes     batches written to the operating system (one write call per batch)
 * @param fsyncs     fsyncs of log segments
 * @param largestBatch the most records one write carried
 * @param bytes      framed record bytes written to log segments
 */
public record WalStats(long appends, long writes, long fsyncs, long largestBatch, long bytes) {
}
