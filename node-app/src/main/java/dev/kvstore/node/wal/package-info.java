/**
 * The node's write-ahead log: numbered segments of framed records ({@code length | payload | CRC32C})
 * and snapshots that bound how much of it recovery replays. All file access goes through the
 * {@link dev.kvstore.node.wal.Disk} seam, so crash tests can tear writes and fail fsyncs.
 *
 * <p>Its parts: {@link dev.kvstore.node.wal.WriteAheadLog}, the facade and group-commit writer (append,
 * await, roll, reopen); {@code PendingBatch}, the records a flush will write; {@code ActiveSegment}, the
 * segment appends go to (writing, fsyncing, rolling and cutting it back, and its counters);
 * {@code WalDirectory}, the only one that knows file names; {@code SnapshotFile}, the
 * snapshot format; {@code Recovery}, snapshot plus segments back into a handler, the same at a restart and
 * at a reopen; {@code Durability}, what of the current segment can be trusted and what a failure lost;
 * {@link dev.kvstore.node.wal.RecordFormat}, the framing.
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
