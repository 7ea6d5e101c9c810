package dev.kvstore.node.config;

import dev.kvstore.node.disk.Watermark;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param lowWatermark   free space (a size such as {@code 2GB} or a share such as {@code 10%}) below which the
 *                       node warns: its {@code disk} health turns LOW_SPACE
 * @param highWatermark  free space below which the node takes no new values: a PUT to a key it holds is
 *                       refused with 507, while deletes, snapshots and range copies go on
 * @param readEvery      how long a reading of the file system is reused (the write path asks it)
 * @param repairInterval how often a node whose log failed tries to reopen it (once the disk has room)
 */
@ConfigurationProperties("kv.disk")
public record DiskProperties(@DefaultValue("10%") Watermark lowWatermark,
                             @DefaultValue("5%") Watermark highWatermark,
                             @DefaultValue("500ms") Duration readEvery,
                             @DefaultValue("1s") Duration repairInterval) {
}
