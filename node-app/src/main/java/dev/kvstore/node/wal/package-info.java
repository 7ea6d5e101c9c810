/**
 * The node's write-ahead log: numbered segments of framed records ({@code length | payload | CRC32C})
 * and snapshots that bound how much of it recovery replays. All file access goes through the
 * {@link dev.kvstore.node.wal.Disk} seam, so crash tests can tear writes and fail fsyncs.
 *
 * <p>Invariants: a record is reported durable only after the fsync that covers it returned (with
 * {@code fsync=always}); concurrent appends share one write and one fsync (group commit) but are
 * never acknowledged before it; recovery returns exactly the records before the first torn or
 * corrupt one, truncates the log there and sets later segments aside, never skipping over damage;
 * a snapshot is published by rename only once its contents are fsynced, and the previous one is kept
 * until a newer one is readable; a failed write or fsync ends appends, is never retried, and a reopen
 * trusts nothing past the last durable byte: it cuts the segment there and recovers as a restart does,
 * while a record that was not durable when the log failed never becomes durable.
 */
package dev.kvstore.node.wal;
