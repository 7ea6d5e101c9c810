package dev.kvstore.node.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param id            the node's stable id; when blank, one is generated on first start and kept in
 *                      {@code dataDir}
 * @param dataDir       where the id, the write-ahead log and the snapshots live
 * @param advertisedUrl the base URL others reach this node at; when unset,
 *                      {@code http://127.0.0.1:<the port the server got>} ({@code https} when
 *                      the server has TLS, {@code server.ssl})
 * @param maxValueSize  the largest value a write may carry
 * @param rangeCopyTimeout how long pulling one range copy from another node may take in all (connecting,
 *                      streaming and installing); the other calls to peers keep the coordinator's
 *                      short read timeout
 */
@ConfigurationProperties("kv.node")
public record NodeProperties(String id,
                             @DefaultValue("data/node") Path dataDir,
                             URI advertisedUrl,
                             @DefaultValue("1MB") DataSize maxValueSize,
                             @DefaultValue("10m") Duration rangeCopyTimeout) {
}
