package dev.kvstore.node.snapshot;

import dev.kvstore.model.Table;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.OutcomeTable;
import dev.kvstore.node.replica.StoredValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a snapshot captures while every other step is excluded: references to the rows (immutable, so
 * they stay as captured), 8 bytes each, and a flat copy of the outcomes, 32 bytes each. Each becomes a
 * log record only as it is written, so a snapshot of a million keys never holds a million records at once.
 */
final class CapturedState {
    private static final Table[] TABLES = Table.values();

    final List<String> keys;
    final List<StoredValue> rows;
    /** {@code tableEnds[t]}: how many rows tables {@code 0..t} hold together. */
    final int[] tableEnds = new int[TABLES.length];
    /** Tombstones, then prepares with their voided markers, then the highest commit forgotten: few, so held as records. */
    final List<LogRecord> others = new ArrayList<>();
    OutcomeTable.Captured outcomes;

    CapturedState(int rows) {
        this.keys = new ArrayList<>(rows);
        this.rows = new ArrayList<>(rows);
    }

    void addEntry(String key, StoredValue row) {
        keys.add(key);
        rows.add(row);
    }

    void endTable(Table table) {
        tableEnds[table.ordinal()] = keys.size();
    }

    /** The encoded snapshot entries: every row, table by table, then tombstones and prepares, then the outcomes. */
    Iterator<byte[]> records() {
        return new Iterator<>() {
            private int row;
            private int table;
            private int prepare;
            private Iterator<LogRecord.Decided> outcome;

            @Override
            public boolean hasNext() {
                return row < keys.size() || prepare < others.size() || outcomes().hasNext();
            }

            @Override
            public byte[] next() {
                LogRecord record;
                if (row < keys.size()) {
                    while (row >= tableEnds[table]) {
                        table++;
                    }
                    StoredValue stored = rows.get(row);
                    record = new LogRecord.Entry(TABLES[table], keys.get(row), stored.value(),
                            stored.contentType(), stored.version());
                    row++;
                } else if (prepare < others.size()) {
                    record = others.get(prepare++);
                } else {
                    record = outcomes().next();
                }
                return LogRecord.encode(record);
            }

            private Iterator<LogRecord.Decided> outcomes() {
                if (outcome == null) {
                    outcome = outcomes.iterator();
                }
                return outcome;
            }
        };
    }
}
