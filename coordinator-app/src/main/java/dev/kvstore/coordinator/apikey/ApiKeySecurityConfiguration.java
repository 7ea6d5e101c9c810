package dev.kvstore.coordinator.apikey;

import dev.kvstore.web.ProblemWriter;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Client API keys with Spring Security, only when {@code kv.security.api-keys} lists at least one: then
 * a stateless chain reads the key, checks its scope per {@link ApiAccessRules} and refuses with problem+json.
 * Without keys this configuration is skipped, and since the coordinator excludes Spring Boot's default web
 * security, no security filter runs at all: the client API costs what it did without Spring Security.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ApiKeySecurityConfiguration.KeysConfigured.class)
@EnableWebSecurity
public class ApiKeySecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiKeySecurityConfiguration.class);

    @Bean
    SecurityFilterChain apiKeyFilterChain(HttpSecurity http, ApiKeyProperties properties, Clock clock) throws Exception {
        ApiKeys keys = properties.toApiKeys();
        ApiKeyProblems problems = new ApiKeyProblems(clock);
        log.info("client API keys required: {} key(s) configured ({})", keys.size(),
                properties.apiKeys().stream().map(e -> e.name() + "=" + e.scope()).toList());
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                // The API's own caching headers (ETag) stay as the controllers set them.
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().access(new ScopeAuthorization()))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .build();
    }

    /**
     * Spring Security's firewall, relaxed for what keys may contain: an encoded {@code %}, {@code ;},
     * {@code \} or {@code .}; still refused (400 problem+json): encoded {@code /}, {@code //} and
     * non-normalised paths, which the rules could otherwise read differently from the dispatcher.
     */
    @Bean
    WebSecurityCustomizer apiKeyFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedPercent(true);
        firewall.setAllowSemicolon(true);
        firewall.setAllowBackSlash(true);
        firewall.setAllowUrlEncodedPeriod(true);
        return web -> web.httpFirewall(firewall).requestRejectedHandler((request, response, rejected) ->
                ProblemWriter.write(request, response, HttpStatus.BAD_REQUEST, "Invalid request",
                        "the request path is refused: it is not normalised or contains an encoded '/' or '//'"));
    }

    /** Grants what {@link ApiAccessRules} leaves open, and the rest to a key of enough scope. */
    static final class ScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

        @Override
        public AuthorizationDecision authorize(Supplier<? extends Authentication> authentication,
                                               RequestAuthorizationContext context) {
            return ApiAccessRules.required(context.getRequest().getMethod(),
                            ApiKeyAuthenticationFilter.path(context.getRequest()))
                    .map(needed -> {
                        ApiKey key = ApiKeyAuthenticationFilter.keyOf(authentication.get());
                        return new AuthorizationDecision(key != null && key.scope().includes(needed));
                    })
                    .orElseGet(() -> new AuthorizationDecision(true));
        }
    }

    /** At least one {@code kv.security.api-keys} entry. */
    static final class KeysConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("kv.security.api-keys", Bindable.listOf(ApiKeyProperties.Entry.class))
                    .map(list -> !list.isEmpty())
                    .orElse(false);
        }
    }
}
