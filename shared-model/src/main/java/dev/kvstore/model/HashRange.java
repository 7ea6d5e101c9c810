package dev.kvstore.model;

/**
 * An arc of the ring, positions taken as signed longs around a circle: the hashes after
 * {@code fromExclusive} up to and including {@code toInclusive}, wrapping past the largest long.
 * {@code fromExclusive == toInclusive} is the whole circle.
 */
public record HashRange(long fromExclusive, long toInclusive) {

    public boolean contains(long hash) {
        if (fromExclusive == toInclusive) {
            return true;
        }
        if (fromExclusive < toInclusive) {
            return hash > fromExclusive && hash <= toInclusive;
        }
        return hash > fromExclusive || hash <= toInclusive;
    }

    public boolean containsKey(String key) {
        return contains(KeyHash.of(key));
    }
}
