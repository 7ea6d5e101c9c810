package dev.kvstore.node.config;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.node.term.TermFencingFilter;
import dev.kvstore.node.term.TermStore;
import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The node's coordinator term, kept in its data directory, and the filter that fences stale leaders off. */
@Configuration(proxyBeanMethods = false)
public class TermFencingConfiguration {

    @Bean
    TermStore termStore(NodeProperties node) throws IOException {
        return TermStore.open(node.dataDir(), Disk.REAL);
    }

    /** Over the whole {@code /internal} API, after the cluster signature check (order +10) and before any controller. */
    @Bean
    FilterRegistrationBean<TermFencingFilter> termFencingFilter(TermStore termStore, Clock clock, String nodeId) {
        FilterRegistrationBean<TermFencingFilter> registration = new FilterRegistrationBean<>(new TermFencingFilter(
                termStore, new LogThrottle(clock, 10, Duration.ofMinutes(1)), nodeId));
        registration.addUrlPatterns("/internal/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
