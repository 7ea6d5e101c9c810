package dev.kvstore.node.config;

import dev.kvstore.model.CoordinatorTerm;
import dev.kvstore.model.NodeError;
import dev.kvstore.web.openapi.OpenApiConventions;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.math.BigDecimal;
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
 * /v3/api-docs.yaml/internal and committed as openapi/node.yaml. Every operation takes the coordinator
 * leader's {@code term} (checked by the term filter, before any controller).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String INTERNAL = "internal";
    private static final String TERM_PARAMETER = "CoordinatorTerm";
    private static final String NODE_PARAMETER = "AddressedNode";

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
                OpenApiConventions.problemResponses(coordinatorTerm(operation), handler.getMethod()));
    }

    /**
     * The optional {@code term} and {@code node} parameters and their {@code 409} and {@code 421}, on an
     * operation of the internal API.
     */
    static Operation coordinatorTerm(Operation operation) {
        operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + TERM_PARAMETER));
        boolean namesNode = operation.getParameters().stream()
                .anyMatch(p -> CoordinatorTerm.NODE_PARAMETER.equals(p.getName()));
        if (!namesNode) {
            operation.addParametersItem(new Parameter().$ref("#/components/parameters/" + NODE_PARAMETER));
        }
        if (operation.getResponses() != null) {
            operation.getResponses().computeIfAbsent("421", code -> new ApiResponse().description("The call names "
                    + "another node (" + NodeError.WRONG_NODE.type() + "): this address serves a different one "
                    + "now; nothing was done"));
            String stale = "a stale coordinator term (" + NodeError.STALE_TERM.type() + "): nothing was done";
            ApiResponse conflict = operation.getResponses().get("409");
            if (conflict == null) {
                operation.getResponses().addApiResponse("409", new ApiResponse().description(
                        Character.toUpperCase(stale.charAt(0)) + stale.substring(1)));
            } else {
                conflict.setDescription(conflict.getDescription() + "; or " + stale);
            }
        }
        return operation;
    }

    @Bean
    GlobalOpenApiCustomizer documentConventions() {
        return openApi -> {
            OpenApiConventions.addProblemSchema(openApi, "Stale coordinator term", 409,
                    "term 6 is older than term 7, which this node has seen: the sender is no longer the coordinators' "
                            + "leader", "/internal/txn/batch");
            openApi.getComponents().addParameters(TERM_PARAMETER, new QueryParameter()
                    .name(CoordinatorTerm.PARAMETER).required(false)
                    .schema(new IntegerSchema().format("int64").minimum(BigDecimal.ONE))
                    .description("The Raft term of the coordinators' leader sending the call (the signature covers "
                            + "it). A term newer than any this node has seen is kept durably before the call runs; an "
                            + "older one is refused with 409 (problem type " + NodeError.STALE_TERM.type()
                            + ", member " + CoordinatorTerm.CURRENT_TERM + ": the node's term) and changes nothing; "
                            + "anything but one positive whole number is 400. Absent on calls from other nodes and "
                            + "operators: not checked."));
            openApi.getComponents().addParameters(NODE_PARAMETER, new QueryParameter()
                    .name(CoordinatorTerm.NODE_PARAMETER).required(false).schema(new StringSchema())
                    .description("The id of the node the call is meant for, as the sender recorded it at this address "
                            + "(the signature covers it). Any other node refuses the call with 421 (problem type "
                            + NodeError.WRONG_NODE.type() + ") and does nothing. Absent: not checked."));
            OpenApiConventions.declareClusterSecret(openApi);
            OpenApiConventions.sort(openApi);
        };
    }
}
