package dev.kvstore.node.disk;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The node's {@code disk} health: UP with room, {@code LOW_SPACE} below the low watermark (a warning),
 * {@code FULL} below the high one (new data refused with 507; reads and deletes served). Neither custom
 * status is in the health groups' order, so neither turns the node's health or readiness DOWN: the node
 * still serves, and frees space through deletes.
 */
public final class DiskHealthIndicator implements HealthIndicator {

    static final Status LOW_SPACE = new Status("LOW_SPACE", "below the low watermark: free space soon");
    static final Status FULL = new Status("FULL", "below the high watermark: new data is refused (507)");

    private final DiskSpace disk;
    private final String path;

    public DiskHealthIndicator(DiskSpace disk, String path) {
        this.disk = disk;
        this.path = path;
    }

    @Override
    public Health health() {
        DiskSpace.Reading r = disk.reading();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", path);
        details.put("total", r.totalBytes());
        details.put("free", r.usableBytes());
        details.put("lowWatermark", disk.low().toString());
        details.put("highWatermark", disk.high().toString());
        Status status = switch (r.level()) {
            case OK -> Status.UP;
            case LOW -> LOW_SPACE;
            case FULL -> FULL;
        };
        return Health.status(status).withDetails(details).build();
    }
}
