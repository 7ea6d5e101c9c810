package dev.kvstore.web.openapi;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * What every operation's documentation shares, applied once here instead of repeated on each
 * controller: an error response (4xx, 5xx) declared with {@code @ApiResponse} carries the RFC 9457
 * {@value #PROBLEM} body as {@code application/problem+json}, unless it is declared with
 * {@code content = @Content} (springdoc's idiom for "no body"); a 503 also carries Retry-After.
 * Internal operations require the {@value #CLUSTER_SECRET} signature, declared in each document that
 * has some.
 */
public final class OpenApiConventions {

    public static final String PROBLEM = "Problem";
    public static final String CLUSTER_SECRET = "clusterSecret";
    public static final String PROBLEM_JSON = "application/problem+json";

    private OpenApiConventions() {
    }

    /** Adds the {@value #PROBLEM} schema every error response refers to, with an example of the app's. */
    public static void addProblemSchema(OpenAPI openApi, String title, int status, String detail, String instance) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri")._default("about:blank")
                .description("A URI identifying the kind of problem; absent (about:blank) when the status and "
                        + "title say it all"));
        properties.put("title", new StringSchema().description("A short summary of the kind of problem"));
        properties.put("status", new IntegerSchema().format("int32").description("The HTTP status code"));
        properties.put("detail", new StringSchema().description("What went wrong with this request, and what to fix "
                + "or when to retry"));
        properties.put("instance", new StringSchema().format("uri").description("The request path"));
        Schema<?> problem = new ObjectSchema()
                .description("An RFC 9457 problem detail, sent as application/problem+json. More members may "
                        + "follow where a problem has more to say.")
                .properties(properties);
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("title", title);
        example.put("status", status);
        example.put("detail", detail);
        example.put("instance", instance);
        problem.setExample(example);
        components(openApi).addSchemas(PROBLEM, problem);
    }

    /**
     * Tags, paths and schemas in name order, whatever order the controllers were scanned in, so the
     * served text is stable. (Not springdoc's writer-with-order-by-keys: that would also sort each
     * operation's media types, and Swagger UI offers the first one.)
     */
    public static void sort(OpenAPI openApi) {
        if (openApi.getTags() != null) {
            openApi.getTags().sort(Comparator.comparing(Tag::getName));
        }
        if (openApi.getPaths() != null) {
            Paths sorted = new Paths();
            new TreeMap<>(openApi.getPaths()).forEach(sorted::addPathItem);
            sorted.setExtensions(openApi.getPaths().getExtensions());
            openApi.setPaths(sorted);
        }
        if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
            openApi.getComponents().setSchemas(new LinkedHashMap<>(new TreeMap<>(openApi.getComponents().getSchemas())));
        }
    }

    /**
     * Gives the operation's declared error responses their problem body (or none, where declared
     * bodiless) and a Retry-After header on 503; an undeclared status stays undocumented.
     */
    public static Operation problemResponses(Operation operation, Method handler) {
        if (operation.getResponses() == null) {
            return operation;
        }
        Set<String> bodiless = bodilessResponses(handler);
        operation.getResponses().forEach((status, response) -> {
            if (!isError(status)) {
                return;
            }
            response.setContent(bodiless.contains(status) ? null : new io.swagger.v3.oas.models.media.Content()
                    .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
            if (status.equals("503")) {
                response.addHeaderObject("Retry-After", new Header()
                        .description("Seconds to wait before retrying")
                        .schema(new IntegerSchema().format("int32")));
            }
        });
        return operation;
    }

    /** Marks an operation as one only cluster members may call, answered 401 without a valid signature. */
    public static Operation requireClusterSecret(Operation operation) {
        if (operation.getResponses() != null) {
            operation.getResponses().addApiResponse("401", new io.swagger.v3.oas.models.responses.ApiResponse()
                    .description("No valid cluster signature (missing, malformed, stale, wrong or replayed); "
                            + "nothing was done")
                    .content(new io.swagger.v3.oas.models.media.Content()
                            .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM)))));
        }
        return operation.security(List.of(new SecurityRequirement().addList(CLUSTER_SECRET)));
    }

    /** Declares the cluster-secret signature in a document whose operations require it. */
    public static void declareClusterSecret(OpenAPI openApi) {
        boolean required = openApi.getPaths() != null && openApi.getPaths().values().stream()
                .flatMap(path -> path.readOperations().stream())
                .anyMatch(operation -> operation.getSecurity() != null && operation.getSecurity().stream()
                        .anyMatch(requirement -> requirement.containsKey(CLUSTER_SECRET)));
        if (required) {
            components(openApi).addSecuritySchemes(CLUSTER_SECRET, new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER)
                    .name("Authorization")
                    .description("A signature made with the cluster secret (kv.cluster.secret) the coordinator and "
                            + "every node share: KV-HMAC t=<epoch seconds>,n=<nonce>,sig=<base64url HMAC-SHA256 over "
                            + "the method, path and query, t, n and the body's SHA-256>; see README.md, Security. "
                            + "Missing or wrong: 401 problem+json."));
        }
    }

    private static Set<String> bodilessResponses(Method handler) {
        return AnnotatedElementUtils.findMergedRepeatableAnnotations(handler,
                        io.swagger.v3.oas.annotations.responses.ApiResponse.class).stream()
                .filter(declared -> declared.content().length > 0
                        && Arrays.stream(declared.content()).allMatch(OpenApiConventions::isEmpty))
                .map(io.swagger.v3.oas.annotations.responses.ApiResponse::responseCode)
                .collect(Collectors.toSet());
    }

    private static boolean isEmpty(Content content) {
        return content.mediaType().isEmpty() && content.schema().implementation() == Void.class
                && content.schema().ref().isEmpty() && content.schema().type().isEmpty();
    }

    private static boolean isError(String status) {
        return status.startsWith("4") || status.startsWith("5");
    }

    private static Components components(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        return openApi.getComponents();
    }
}
