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
 * @param maxBodySize   the largest request body; it must hold a prepare's value in base64 (4/3 of
 *                      {@code maxValueSize}) and a range request's up to 65,536 ranges (about 5 MB);
 *                      larger is 413, refused before it is read
 * @param rangeCopyTimeout how long pulling one range copy from another node may take in all (connecting,
 *                      streaming and installing); the other calls to peers keep the coordinator's
 *                      short read timeout
 */
@ConfigurationProperties("kv.node")
public record NodeProperties(String id,
                             @DefaultValue("data/node") Path dataDir,
                             URI advertisedUrl,
                             @DefaultValue("1MB") DataSize maxValueSize,
                             @DefaultValue("8MB") DataSize maxBodySize,
                             @DefaultValue("10m") Duration rangeCopyTimeout) {
}
