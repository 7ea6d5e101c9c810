/**
 * The wiring: properties, beans and timers that connect the pure core (replica and its write-ahead log,
 * participant, migration, snapshots) to the disk, HTTP and Spring. The only package that may depend on
 * every other; none of the core depends on it.
 *
 * <p>Invariants: one replica and one write-ahead log per process, the log a bean of its own that is closed
 * after everything that writes to it; each periodic job runs on its own thread
 * ({@link dev.kvstore.node.config.ScheduledJobs}).
 */
package dev.kvstore.node.config;
