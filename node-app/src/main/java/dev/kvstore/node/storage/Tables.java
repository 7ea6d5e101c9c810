package dev.kvstore.node.storage;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.Table;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The {@code own} and {@code prev} tables in memory; durability is the write-ahead log's job. */
public final class Tables {

    private final Map<Table, ConcurrentHashMap<String, StoredValue>> tables = new EnumMap<>(Table.class);

    public Tables() {
        for (Table table : Table.values()) {
            tables.put(table, new ConcurrentHashMap<>());
        }
    }

    public Optional<StoredValue> get(Table table, String key) {
        return Optional.ofNullable(tables.get(table).get(key));
    }

    /** The key's version in the table, 0 when absent. */
    public long version(Table table, String key) {
        StoredValue stored = tables.get(table).get(key);
        return stored == null ? 0 : stored.version();
    }

    public void put(Table table, String key, StoredValue value) {
        tables.get(table).put(key, value);
    }

    public void delete(Table table, String key) {
        tables.get(table).remove(key);
    }

    public int size(Table table) {
        return tables.get(table).size();
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
}
