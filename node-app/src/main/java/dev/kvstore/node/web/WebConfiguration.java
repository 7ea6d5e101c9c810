package dev.kvstore.node.web;

import dev.kvstore.node.config.NodeProperties;
import dev.kvstore.web.BodyLimitFilter;
import dev.kvstore.web.NodeProtocolConfiguration;
import dev.kvstore.web.ProblemResponsesConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** Problem details for errors outside Spring MVC too, the cap on request bodies, and the node protocol's codec. */
@Configuration(proxyBeanMethods = false)
@Import({ProblemResponsesConfiguration.class, NodeProtocolConfiguration.class})
public class WebConfiguration {

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(NodeProperties properties) {
        long limit = properties.maxBodySize().toBytes();
        // A prepare carries the value in base64; a limit below that would refuse values the node accepts.
        long largestPrepare = properties.maxValueSize().toBytes() * 4 / 3 + 64 * 1024;
        if (limit < largestPrepare) {
            throw new IllegalStateException("kv.node.max-body-size (" + limit + " bytes) must be at least "
                    + largestPrepare + " bytes to hold a prepare of a value of kv.node.max-value-size in base64");
        }
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(limit, request -> false));
        // Early: an oversized body is refused before any later filter reads it.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
