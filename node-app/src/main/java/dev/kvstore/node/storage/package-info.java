/**
 * The node's two tables, {@code own} and {@code prev}: key to value bytes, content type and version,
 * and the internal HTTP API over them: reads ({@link dev.kvstore.node.storage.TableController}) and
 * data migration between nodes ({@link dev.kvstore.node.storage.RangeController}).
 *
 * <p>Invariants: the tables hold only committed data (the participant applies a write after its
 * COMMIT record is durable, and a migrated entry, move or drop after its log record is durable); a
 * key's version in a table never goes back through a copy; they are rebuilt on start from the
 * snapshot and the write-ahead log and are never written to disk directly.
 */
package dev.kvstore.node.storage;
