package dev.kvstore.coordinator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The read cache: {@code sets x ways} entries; a key can live only in the ways of its set. */
@ConfigurationProperties("kv.cache")
public record CacheProperties(@DefaultValue("4096") int sets, @DefaultValue("8") int ways) {
}
