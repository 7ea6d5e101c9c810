/**
 * The client API: {@code GET/HEAD/PUT/DELETE /kv/{key}}.
 *
 * <p>Invariants: writes to one key are serialized by its exclusive lock, held through the whole
 * two-phase commit and the cache update; a read that misses the cache holds the key's shared lock
 * while it reads a node and fills the cache, so it can never put back a value older than one a
 * write has already acknowledged. A hit is answered from the cache alone, which holds only committed
 * values. Writes to different keys and all reads of different keys run concurrently.
 */
package dev.kvstore.coordinator.kv;
