/**
 * The wiring: properties, beans and timers that connect the pure core (ring, membership, two-phase
 * commit, cache, migration, the coordinator group) to HTTP, Ratis and Spring. The only package that may
 * depend on every other; none of the core depends on it.
 *
 * <p>Invariants: the calls to nodes share one pool of connections ({@link
 * dev.kvstore.coordinator.config.NodeHttpClients}; range copies, with their read timeout of minutes, have
 * their own), and every one carries the leader's term, the node's id and the
 * signature from one place ({@link dev.kvstore.coordinator.config.NodeCallStamping}), whether the batch
 * transport or a RestClient sends it; each periodic job runs on its own thread, on the serving leader only
 * ({@link dev.kvstore.coordinator.config.ScheduledJobs}).
 */
package dev.kvstore.coordinator.config;
