package dev.kvstore.coordinator.cache;

/**
 * Counters and occupancy of a {@link SetAssociativeCache}. Each figure is exact once the cache is
 * quiescent; under load they are read one after another, not as one atomic snapshot.
 *
 * @param hits      gets answered from the cache
 * @param misses    gets that found nothing
 * @param evictions entries pushed out to make room (not removals, not replacements in place)
 * @param size      entries held now, never above {@code capacity}
 * @param capacity  sets x ways
 */
public record CacheStats(long hits, long misses, long evictions, int size, int capacity) {
}
