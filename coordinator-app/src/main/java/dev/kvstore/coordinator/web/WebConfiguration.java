package dev.kvstore.coordinator.web;

import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.web.BodyLimitFilter;
import dev.kvstore.web.NodeProtocolConfiguration;
import dev.kvstore.web.ProblemResponsesConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** Problem details for errors outside Spring MVC too, the cap on JSON request bodies, and the node protocol's codec. */
@Configuration(proxyBeanMethods = false)
@Import({ProblemResponsesConfiguration.class, NodeProtocolConfiguration.class})
public class WebConfiguration {

    /** Values (PUT /kv/...) have their own limit, checked by the controller; every other body gets this one. */
    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(KvApiProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(
                properties.maxBodySize().toBytes(),
                request -> request.getServletPath().equals("/kv") || request.getServletPath().startsWith("/kv/")));
        // Early: an oversized body is refused before any later filter reads it.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
