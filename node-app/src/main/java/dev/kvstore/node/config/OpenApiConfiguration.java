package dev.kvstore.node.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's OpenAPI document, served at /v3/api-docs and committed as openapi/node.yaml. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI nodeOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("kvstore node")
                        .version("v1")
                        .description("The storage node's internal API: two-phase commit participant, table reads and data "
                                + "migration (range export, copy, move, drop, count). "
                                + "Called by the coordinator and by other nodes, not by clients. Errors are "
                                + "application/problem+json (RFC 9457)."))
                // A relative server keeps the document the same whatever port the node got.
                .servers(List.of(new Server().url("/")));
    }
}
