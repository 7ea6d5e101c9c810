/**
 * The node's disk: how much room it has for data, against two watermarks, and its health.
 *
 * <p>Invariants: below the high watermark's free space the node refuses new data (a PUT votes no with
 * {@code NO_SPACE}, which the client sees as {@code 507 Insufficient Storage}) while deletes, the log's
 * own snapshots and cleanup, and range copies go on, so space can be freed through the API and every key
 * can still get its two copies; below the low watermark it only warns. A reading of the file system is
 * reused for a short while, so the write path asks the kernel at most a few times a second. Level changes
 * are logged once each, never per request or per health poll.
 */
package dev.kvstore.node.disk;
