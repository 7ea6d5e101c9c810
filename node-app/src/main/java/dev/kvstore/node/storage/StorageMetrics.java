package dev.kvstore.node.storage;

import dev.kvstore.model.Table;
import dev.kvstore.node.replica.Tables;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;

/** {@code kv.storage.keys} per table: keys this node is primary for (own) and holds as replica (prev). */
public final class StorageMetrics implements MeterBinder {

    private final Tables tables;

    public StorageMetrics(Tables tables) {
        this.tables = tables;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Table table : Table.values()) {
            Gauge.builder("kv.storage.keys", tables, t -> t.size(table))
                    .tag("table", table.name().toLowerCase(Locale.ROOT))
                    .description("keys held in the table").register(registry);
        }
    }
}
