/**
 * The client API: {@code GET/HEAD/PUT/DELETE /kv/{key}}.
 *
 * <p>Invariants: writes to one key are serialized by its exclusive lock, held through the whole
 * two-phase commit and the cache update; a read that misses the cache holds the key's shared lock
 * while it reads a node and fills the cache, so it can never put back a value older than one a
 * write has already acknowledged. A hit is answered from the cache alone, which holds only committed
 * values. Writes to different keys and all reads of different keys run concurrently.
 *
 * <p>{@link dev.kvstore.coordinator.kv.CachedReads} answers hits before Spring MVC with exactly the
 * status, headers and body {@link dev.kvstore.coordinator.kv.KvController} would give; whatever it is
 * not sure of (a miss, a conditional request, an {@code Accept} header) goes to the controller.
 *
 * <p>A request's key is decoded, checked and hashed once, into a {@link dev.kvstore.model.Key}, where
 * the request enters (the filter or the controller, which share it); {@link dev.kvstore.coordinator.kv.KvService}
 * and the routing below it take that value and never check, encode or hash the key again.
 */
package dev.kvstore.coordinator.kv;
