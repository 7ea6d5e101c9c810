package dev.kvstore.coordinator.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import java.util.List;

/** The node operations a migration needs; the range operations return the keys they touched and may be repeated. */
public interface MigrationTransport {

    long copy(String targetUrl, Table targetTable, String sourceUrl, Table sourceTable, List<HashRange> ranges);

    long move(String url, Table from, Table to, List<HashRange> ranges);

    long drop(String url, Table table, List<HashRange> ranges);

    long count(String url, Table table, List<HashRange> ranges);

    /** Tells a node the ring just published, which it keeps and reports when it registers. */
    void announceRing(String url, RingView ring);
}
