package dev.kvstore.node.config;

import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param fsync                  always (every acknowledged write fsynced, concurrent ones sharing an
 *                               fsync), batched (fsynced every {@code fsyncInterval}) or off
 * @param fsyncInterval          the timer for the batched policy
 * @param snapshotAfter          log written since the last snapshot that triggers the next one
 * @param snapshotCheckInterval  how often the node looks whether a snapshot is due
 * @param maxRecordSize          the largest log record; must exceed the value limit
 */
@ConfigurationProperties("kv.wal")
public record WalProperties(@DefaultValue("always") FsyncPolicy fsync,
                            @DefaultValue("10ms") Duration fsyncInterval,
                            @DefaultValue("64MB") DataSize snapshotAfter,
                            @DefaultValue("1s") Duration snapshotCheckInterval,
                            @DefaultValue("16MB") DataSize maxRecordSize) {

    public WalOptions toOptions() {
        return new WalOptions(fsync, Math.toIntExact(maxRecordSize.toBytes()), snapshotAfter.toBytes());
    }
}
