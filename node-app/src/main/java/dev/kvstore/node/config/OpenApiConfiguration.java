package dev.kvstore.node.config;

import dev.kvstore.web.openapi.OpenApiConventions;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's OpenAPI document: a single group, {@value #INTERNAL}, since every endpoint is for the
 * coordinator and other nodes, each requiring the cluster secret. Served at
 * /v3/api-docs.yaml/internal and committed as openapi/node.yaml.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String INTERNAL = "internal";

    @Bean
    OpenAPI nodeOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("kvstore node")
                        .version("v1")
                        .description("The storage node's internal API: two-phase commit participant, table reads and data "
                                + "migration (range export, copy, move, drop, count). "
                                + "Called by the coordinator and by other nodes, not by clients: every call "
                                + "is signed with the cluster secret (kv.cluster.secret; see the clusterSecret scheme). "
                                + "Errors are application/problem+json (RFC 9457)."))
                // A relative server keeps the document the same whatever port the node got.
                .servers(List.of(new Server().url("/")));
    }

    @Bean
    GroupedOpenApi internalApi() {
        return GroupedOpenApi.builder().group(INTERNAL).pathsToMatch("/**").build();
    }

    @Bean
    GlobalOperationCustomizer operationConventions() {
        return (operation, handler) -> OpenApiConventions.requireClusterSecret(
                OpenApiConventions.problemResponses(operation, handler.getMethod()));
    }

    @Bean
    GlobalOpenApiCustomizer documentConventions() {
        return openApi -> {
            OpenApiConventions.addProblemSchema(openApi, "Transaction already decided", 409,
                    "transaction 3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90 is already ABORTED, it cannot become COMMITTED",
                    "/internal/txn/3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90/commit");
            OpenApiConventions.declareClusterSecret(openApi);
            OpenApiConventions.sort(openApi);
        };
    }
}
