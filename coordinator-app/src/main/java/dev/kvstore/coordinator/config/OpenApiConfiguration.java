package dev.kvstore.coordinator.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The coordinator's OpenAPI document, served at /v3/api-docs and committed as openapi/coordinator.yaml. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI coordinatorOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("kvstore")
                        .version("v1")
                        .description("A distributed key-value store. Values are raw bytes stored under UTF-8 keys "
                                + "(1 to 1024 bytes, slashes allowed) with their Content-Type; every key is kept on "
                                + "two nodes and written through two-phase commit. Errors are "
                                + "application/problem+json (RFC 9457)."))
                .servers(List.of(new Server().url("/")));
    }
}
