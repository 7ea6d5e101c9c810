/**
 * The node's two tables, {@code own} and {@code prev}: key to value bytes, content type and version.
 *
 * <p>Invariants: the tables hold only committed data (the participant applies a write after its
 * COMMIT record is durable); they are rebuilt on start from the snapshot and the write-ahead log and
 * are never written to disk directly.
 */
package dev.kvstore.node.storage;
