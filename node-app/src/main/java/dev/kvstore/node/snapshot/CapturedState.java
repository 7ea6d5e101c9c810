package dev.kvstore.node.snapshot;

import dev.kvstore.model.Table;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.Outcome;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.TxIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What a snapshot captures while every other step is excluded: references to the rows and outcomes
 * (immutable, so they stay as captured), 8 bytes each. Each becomes a log record only as it is
 * written, so a snapshot of a million keys never holds a million records at once.
 */
final class CapturedState {
    private static final Table[] TABLES = Table.values();

    final List<String> keys;
    final List<StoredValue> rows;
    /** {@code tableEnds[t]}: how many rows tables {@code 0..t} hold together. */
    final int[] tableEnds = new int[TABLES.length];
    /** Tombstones, then prepares with their voided markers, then the highest commit forgotten: few, so held as records. */
    final List<LogRecord> others = new ArrayList<>();
    final List<Object> txIds;
    final List<Outcome> outcomes;

    CapturedState(int rows, int outcomes) {
        this.keys = new ArrayList<>(rows);
        this.rows = new ArrayList<>(rows);
        this.txIds = new ArrayList<>(outcomes);
        this.outcomes = new ArrayList<>(outcomes);
    }

    void addEntry(String key, StoredValue row) {
        keys.add(key);
        rows.add(row);
    }

    void endTable(Table table) {
        tableEnds[table.ordinal()] = keys.size();
    }

    void addOutcome(Object txId, Outcome outcome) {
        txIds.add(txId);
        outcomes.add(outcome);
    }

    /** The encoded snapshot entries: every row, table by table, then tombstones and prepares, then the outcomes. */
    Iterator<byte[]> records() {
        return new Iterator<>() {
            private int row;
            private int table;
            private int prepare;
            private int outcome;

            @Override
            public boolean hasNext() {
                return row < keys.size() || prepare < others.size() || outcome < outcomes.size();
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
                } else if (outcome < outcomes.size()) {
                    Outcome o = outcomes.get(outcome);
                    record = new LogRecord.Decided(TxIds.text(txIds.get(outcome)), o.state(), o.version(),
                            o.decidedAt());
                    outcome++;
                } else {
                    throw new NoSuchElementException();
                }
                return LogRecord.encode(record);
            }
        };
    }
}
