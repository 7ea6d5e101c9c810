package dev.kvstore.node.wal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The node's {@code wal} health: UP while the log accepts appends, DOWN once a write or fsync has
 * failed (the log then refuses every write until the process restarts and recovers) or it is closed.
 * Part of readiness: a node that cannot log cannot vote yes.
 */
public final class WalHealthIndicator implements HealthIndicator {

    private final WriteAheadLog log;

    public WalHealthIndicator(WriteAheadLog log) {
        this.log = log;
    }

    @Override
    public Health health() {
        WalStats stats = log.stats();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("directory", log.directory().toAbsolutePath().toString());
        details.put("segment", "wal-%020d.log".formatted(log.currentSegment()));
        details.put("appends", stats.appends());
        details.put("fsyncs", stats.fsyncs());
        log.failure().ifPresent(e -> details.put("error", e.toString()));
        Health.Builder health = log.isWritable() ? Health.up() : Health.down();
        return health.withDetails(details).build();
    }
}
