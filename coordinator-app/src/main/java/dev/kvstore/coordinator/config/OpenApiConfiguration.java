package dev.kvstore.coordinator.config;

import dev.kvstore.web.openapi.OpenApiConventions;
import dev.kvstore.coordinator.membership.MembershipController;
import dev.kvstore.coordinator.txn.DecisionController;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The coordinator's OpenAPI documents, one per group, served at /v3/api-docs/{group} and
 * /v3/api-docs.yaml/{group} and shown by Swagger UI (which opens on {@value #PUBLIC}):
 * <ul>
 *     <li>{@value #PUBLIC}: the /kv API and the operator's /nodes endpoints, committed as
 *     openapi/coordinator.yaml;</li>
 *     <li>{@value #INTERNAL}: what nodes call (registration, heartbeats, /internal), each operation
 *     requiring the cluster secret, committed as openapi/coordinator-internal.yaml.</li>
 * </ul>
 * /v3/api-docs is both together.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String PUBLIC = "public";
    static final String INTERNAL = "internal";
    /** The controllers only nodes call; everything else is for clients and operators. */
    private static final Set<Class<?>> INTERNAL_CONTROLLERS = Set.of(MembershipController.class, DecisionController.class);
    /** The client API key's security scheme, in the public document. */
    static final String API_KEY = "apiKey";
    private static final String ERRORS = " Errors are application/problem+json (RFC 9457).";

    @Bean
    OpenAPI coordinatorOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("kvstore coordinator")
                        .version("v1")
                        .description("Every operation of the coordinator: the client API (group " + PUBLIC
                                + ") and the API nodes call (group " + INTERNAL + ")." + ERRORS))
                // A relative server keeps the documents the same whatever port the coordinator listens on.
                .servers(List.of(new Server().url("/")));
    }

    @Bean
    GroupedOpenApi publicApi() {
        return GroupedOpenApi.builder()
                .group(PUBLIC)
                .addOpenApiMethodFilter(method -> !INTERNAL_CONTROLLERS.contains(method.getDeclaringClass()))
                .addOpenApiCustomizer(openApi -> openApi.info(new Info()
                        .title("kvstore")
                        .version("v1")
                        .description("A distributed key-value store. Values are raw bytes stored under UTF-8 keys "
                                + "(1 to 1024 bytes, slashes allowed) with their Content-Type; every key is kept on "
                                + "two nodes and written through two-phase commit." + ERRORS)))
                .build();
    }

    @Bean
    GroupedOpenApi internalApi() {
        return GroupedOpenApi.builder()
                .group(INTERNAL)
                .addOpenApiMethodFilter(method -> INTERNAL_CONTROLLERS.contains(method.getDeclaringClass()))
                .addOpenApiCustomizer(openApi -> openApi.info(new Info()
                        .title("kvstore coordinator, internal")
                        .version("v1")
                        .description("What storage nodes call on the coordinator: registration, heartbeats and "
                                + "the outcome of a transaction left in doubt. Not for clients: every call "
                                + "is signed with the cluster secret (kv.cluster.secret; see the clusterSecret scheme)."
                                + ERRORS)))
                .build();
    }

    @Bean
    GlobalOperationCustomizer operationConventions() {
        return (operation, handler) -> {
            OpenApiConventions.problemResponses(operation, handler.getMethod());
            return INTERNAL_CONTROLLERS.contains(handler.getBeanType())
                    ? OpenApiConventions.requireClusterSecret(operation) : requireApiKey(operation);
        };
    }

    @Bean
    GlobalOpenApiCustomizer documentConventions() {
        return openApi -> {
            OpenApiConventions.addProblemSchema(openApi, "Key not found", 404,
                    "no value is stored under key 'greeting'", "/kv/greeting");
            OpenApiConventions.declareClusterSecret(openApi);
            declareApiKey(openApi);
            OpenApiConventions.sort(openApi);
            documentHead(openApi, "/kv/{key}");
        };
    }

    /**
     * Client operations take an API key when the coordinator has keys configured; declared whatever the
     * configuration, so the committed document does not depend on it (and Swagger UI shows "Authorize").
     */
    private static Operation requireApiKey(Operation operation) {
        if (operation.getResponses() != null) {
            operation.getResponses().addApiResponse("401", problem("Only with API keys configured "
                    + "(kv.security.api-keys): no key, or one the coordinator does not know; nothing was done"));
            operation.getResponses().addApiResponse("403", problem("Only with API keys configured: the key's scope "
                    + "is not enough for this operation; nothing was done"));
        }
        return operation.security(List.of(new SecurityRequirement().addList(API_KEY)));
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                OpenApiConventions.PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(OpenApiConventions.PROBLEM))));
    }

    private static void declareApiKey(OpenAPI openApi) {
        boolean used = openApi.getPaths() != null && openApi.getPaths().values().stream()
                .flatMap(path -> path.readOperations().stream())
                .anyMatch(operation -> operation.getSecurity() != null && operation.getSecurity().stream()
                        .anyMatch(requirement -> requirement.containsKey(API_KEY)));
        if (used) {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes(API_KEY, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("A client API key, sent as Authorization: Bearer <key> (X-API-Key: <key> works "
                            + "too). Needed only when the coordinator has keys configured (kv.security.api-keys; "
                            + "none by default). Scopes: read (GET/HEAD /kv, GET /nodes, GET /nodes/placement), "
                            + "read-write (also PUT/DELETE /kv), admin (also DELETE /nodes/{id} and "
                            + "POST /nodes/{id}/transactions/{txId}). Missing or "
                            + "unknown: 401; too little scope: 403; both problem+json."));
        }
    }

    /**
     * Spring answers HEAD for every GET; documented for the one where clients use it, to learn a
     * value's version and type without its body.
     */
    private static void documentHead(OpenAPI openApi, String path) {
        PathItem item = openApi.getPaths() == null ? null : openApi.getPaths().get(path);
        if (item == null || item.getGet() == null) {
            return;
        }
        Operation get = item.getGet();
        ApiResponses responses = new ApiResponses();
        get.getResponses().forEach((status, response) -> responses.addApiResponse(status,
                new ApiResponse().description(response.getDescription()).headers(response.getHeaders())));
        item.head(new Operation()
                .tags(get.getTags())
                .summary(get.getSummary() + ", headers only")
                .description("Like GET, without the body: the status and the ETag, Content-Type and "
                        + "Content-Length the GET would answer.")
                .operationId("head")
                .parameters(get.getParameters())
                .responses(responses)
                .security(get.getSecurity()));
    }
}
