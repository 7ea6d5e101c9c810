package dev.kvstore.coordinator.kv;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxValueSize the largest value a PUT may carry (larger is 413)
 * @param lockTimeout  how long a request waits for its key while other writes hold it (then 503)
 * @param retryAfter   what 503 answers put in Retry-After
 * @param maxBodySize  the largest JSON request body (node registrations); larger is 413, refused before
 *                     it is read
 */
@ConfigurationProperties("kv.api")
public record KvApiProperties(@DefaultValue("1MB") DataSize maxValueSize,
                              @DefaultValue("5s") Duration lockTimeout,
                              @DefaultValue("1s") Duration retryAfter,
                              @DefaultValue("1MB") DataSize maxBodySize) {
}
