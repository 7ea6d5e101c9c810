package dev.kvstore.node.replica;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The replica's two range steps, as its log replays them: a drop deletes every key of a table in the ranges
 * and voids the writes in doubt there; a move takes them (rows, remembered deletions and writes in doubt) to
 * the other table, where each row applies only if newer. Callers hold the replica's exclusive lock.
 */
final class RangeSteps {

    private RangeSteps() {
    }

    static long drop(Tables tables, Collection<Prepared> prepared, Table table, RangeSelector selector) {
        List<String> keys = keysIn(tables, table, selector);
        keys.forEach(key -> tables.evict(table, key));
        for (Prepared entry : prepared) {
            PrepareRequest r = entry.request();
            if (entry.outcome() == null && r.table() == table && selector.containsKey(r.key())) {
                entry.voided(true);
            }
        }
        return keys.size();
    }

    static long move(Tables tables, Collection<Prepared> prepared, Table from, Table to, RangeSelector selector) {
        List<String> keys = keysIn(tables, from, selector);
        for (String key : keys) {
            tables.get(from, key).ifPresent(stored -> tables.putIfNewer(to, key, stored));
            tables.evict(from, key);
        }
        tables.forEachTombstone(from, (key, deleted) -> {
            if (selector.containsKey(key)) {
                tables.deleteIfNewer(to, key, deleted.version(), Instant.ofEpochMilli(deleted.deletedAtMillis()));
                tables.forgetTombstone(from, key);
            }
        });
        for (Prepared entry : prepared) {
            PrepareRequest r = entry.request();
            if (entry.outcome() == null && r.table() == from && selector.containsKey(r.key())) {
                entry.request(r.in(to));
            }
        }
        return keys.size();
    }

    private static List<String> keysIn(Tables tables, Table table, RangeSelector selector) {
        List<String> keys = new ArrayList<>();
        if (!selector.isEmpty()) {
            tables.forEach(table, (key, stored) -> {
                if (selector.containsKey(key)) {
                    keys.add(key);
                }
            });
        }
        return keys;
    }
}
