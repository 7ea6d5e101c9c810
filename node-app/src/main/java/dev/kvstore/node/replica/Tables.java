package dev.kvstore.node.replica;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The {@code own} and {@code prev} tables in memory; durability is the write-ahead log's job.
 *
 * <p>The one rule every write obeys, whatever brought it (a commit, live or replayed, a range install, a
 * move): <em>a key never goes back in time</em>. A write applies only if its version is greater than the
 * key's {@linkplain #floor floor}: the version of the value the table holds or, when it holds none, of
 * the deletion it remembers. A deletion leaves a {@link Tombstone} with its version and time, so "deleted
 * at v" stays distinct from "never seen" until the tombstone is pruned. Callers serialize writes to one
 * key; reads may run alongside.
 */
public final class Tables {

    private final Map<Table, ConcurrentHashMap<String, StoredValue>> tables = new EnumMap<>(Table.class);
    private final Map<Table, ConcurrentHashMap<String, Tombstone>> tombstones = new EnumMap<>(Table.class);

    /** A deletion remembered: the key held nothing newer than {@code version} from {@code deletedAtMillis}. */
    public record Tombstone(long version, long deletedAtMillis) {
    }

    public Tables() {
        for (Table table : Table.values()) {
            tables.put(table, new ConcurrentHashMap<>());
            tombstones.put(table, new ConcurrentHashMap<>());
        }
    }

    public Optional<StoredValue> get(Table table, String key) {
        return Optional.ofNullable(tables.get(table).get(key));
    }

    /** The key's value in the table, or null: for a caller that needs its version and {@link #floor(Table, String, StoredValue)}. */
    public StoredValue value(Table table, String key) {
        return tables.get(table).get(key);
    }

    /** The key's version in the table, 0 when absent (deleted or never written). */
    public long version(Table table, String key) {
        StoredValue stored = tables.get(table).get(key);
        return stored == null ? 0 : stored.version();
    }

    /** The version a write must exceed to apply: the value's, else the remembered deletion's, else 0. */
    public long floor(Table table, String key) {
        return floor(table, key, tables.get(table).get(key));
    }

    /** {@link #floor(Table, String)} given the key's value as {@link #value} read it. */
    public long floor(Table table, String key, StoredValue stored) {
        if (stored != null) {
            return stored.version();
        }
        Tombstone deleted = tombstones.get(table).get(key);
        return deleted == null ? 0 : deleted.version();
    }

    /** Stores the value if it is newer than the key's floor; returns whether it did. */
    public boolean putIfNewer(Table table, String key, StoredValue value) {
        if (value.version() <= floor(table, key)) {
            return false;
        }
        tables.get(table).put(key, value);
        tombstones.get(table).remove(key);
        return true;
    }

    /** Deletes the key, remembering the deletion, if {@code version} is newer than its floor; returns whether it did. */
    public boolean deleteIfNewer(Table table, String key, long version, Instant at) {
        if (version <= floor(table, key)) {
            return false;
        }
        tables.get(table).remove(key);
        tombstones.get(table).put(key, new Tombstone(version, at.toEpochMilli()));
        return true;
    }

    /**
     * Removes the key's value because the table no longer holds its range (a drop, or a move to the other
     * table). Its tombstone, if any, stays: a deletion stays true wherever the key goes next.
     */
    public void evict(Table table, String key) {
        tables.get(table).remove(key);
    }

    /** Restores a tombstone as a snapshot recorded it. */
    public void restoreTombstone(Table table, String key, Tombstone tombstone) {
        tombstones.get(table).put(key, tombstone);
    }

    /** Forgets the key's deletion in a table it moved out of (it is remembered where the key went). */
    public void forgetTombstone(Table table, String key) {
        tombstones.get(table).remove(key);
    }

    public Optional<Tombstone> tombstone(Table table, String key) {
        return Optional.ofNullable(tombstones.get(table).get(key));
    }

    /** Forgets deletions made before {@code cutoff}; returns how many. */
    public int pruneTombstones(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        int pruned = 0;
        for (ConcurrentHashMap<String, Tombstone> table : tombstones.values()) {
            int before = table.size();
            table.values().removeIf(t -> t.deletedAtMillis() < cutoffMillis);
            pruned += before - table.size();
        }
        return pruned;
    }

    /** Forgets everything, values and deletions, before the tables are rebuilt from the log. */
    public void clear() {
        tables.values().forEach(Map::clear);
        tombstones.values().forEach(Map::clear);
    }

    public int size(Table table) {
        return tables.get(table).size();
    }

    public int tombstoneCount(Table table) {
        return tombstones.get(table).size();
    }

    public List<EntrySummary> summaries(Table table) {
        List<EntrySummary> out = new ArrayList<>(size(table));
        tables.get(table).forEach((key, stored) ->
                out.add(new EntrySummary(key, stored.version(), stored.contentType(), stored.value().length)));
        return out;
    }

    /** Visits every entry; consistent only while no write is applied (the caller ensures that). */
    public void forEach(Table table, BiConsumer<String, StoredValue> visitor) {
        tables.get(table).forEach(visitor);
    }

    /** Visits every remembered deletion; consistent only while no write is applied (the caller ensures that). */
    public void forEachTombstone(Table table, BiConsumer<String, Tombstone> visitor) {
        tombstones.get(table).forEach(visitor);
    }
}
