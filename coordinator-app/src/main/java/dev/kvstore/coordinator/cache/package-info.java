/**
 * The coordinator's read cache: a set-associative cache with second-chance (clock) replacement,
 * kept write-through by the caller (commits put, deletes remove). Plain Java, no Spring.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A key lives only in set {@code setOf(key)}, a pure function of its {@code hashCode} (mixed, so
 *       similar keys do not cluster), and at most once there. A set never holds more than
 *       {@code ways} entries, so the cache never holds more than {@code sets x ways}.</li>
 *   <li>Only a put of a new key into a full set evicts, and only from that set: keys in different
 *       sets never evict each other. Replacing a present key and removing never count as evictions.</li>
 *   <li>Within a set the victim is the first way, from the clock hand on, whose reference bit is
 *       clear; referenced ways passed on the way lose their bit. Hits and in-place replacements set
 *       the bit; a newly inserted entry starts with it clear.</li>
 *   <li>Every get counts exactly one hit or one miss. Each set has its own lock and there is no
 *       global one; the counters are lock-free adders.</li>
 * </ul>
 */
package dev.kvstore.coordinator.cache;
