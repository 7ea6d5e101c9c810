package dev.kvstore.k8s;

import com.google.gson.annotations.SerializedName;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A strict JSON schema (draft 2020-12) of the Kubernetes API objects the manifests may contain,
 * validated with networknt's validator.
 *
 * <p>The schema is derived from the Kubernetes Java client's model classes, which are generated from
 * the Kubernetes OpenAPI document (client-java 23 is Kubernetes 1.32): each model becomes an object
 * with exactly its fields ({@code additionalProperties: false}, as {@code kubectl --validate=strict} and
 * the API server's strict field validation treat unknown fields), the fields the document marks
 * required, and JSON types from the Java types, including the Kubernetes quantity and int-or-string
 * formats. Nothing is fetched: the models come from Maven Central with the test dependencies.
 */
final class KubernetesSchema {

    /** apiVersion/kind to the model; other kinds are rejected, so a typo in either is caught. */
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class));

    /** resource.Quantity's serialization: a signed decimal with an optional binary or decimal SI suffix or exponent. */
    static final String QUANTITY = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$";
    private static final String BASE64 = "^[A-Za-z0-9+/]*={0,2}$";
    private static final String MODELS = "io.kubernetes.client.openapi.models";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final KubernetesSchema INSTANCE = new KubernetesSchema();

    private final ObjectNode definitions = JSON.createObjectNode();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private KubernetesSchema() {
        KINDS.values().forEach(this::reference);
    }

    static KubernetesSchema get() {
        return INSTANCE;
    }

    static Set<String> supportedKinds() {
        return new TreeSet<>(KINDS.keySet());
    }

    /** What is wrong with one object, one line per problem with its JSON path; empty when it is valid. */
    List<String> validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        String name = kind + " " + object.at("/metadata/name").asString("(no name)");
        Class<?> model = KINDS.get(apiVersion + "/" + kind);
        if (model == null) {
            return List.of(name + ": apiVersion " + apiVersion + " kind " + kind
                    + " is not a known Kubernetes type (known: " + supportedKinds() + ")");
        }
        Schema schema = schemas.computeIfAbsent(apiVersion + "/" + kind, key -> compile(apiVersion, kind, model));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            problems.add(name + " " + error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /** The document for one kind: its model, plus the apiVersion and kind themselves and a name. */
    private Schema compile(String apiVersion, String kind, Class<?> model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
        root.put("$ref", "#/$defs/" + model.getSimpleName());
        root.putArray("required").add("apiVersion").add("kind").add("metadata");
        ObjectNode properties = root.putObject("properties");
        properties.putObject("apiVersion").put("const", apiVersion);
        properties.putObject("kind").put("const", kind);
        properties.putObject("metadata").putArray("required").add("name");
        root.set("$defs", definitions);
        return registry.getSchema(JSON.writeValueAsString(root));
    }

    /** A {@code $ref} to the model's definition, defining it (and what it references) first. */
    private ObjectNode reference(Class<?> model) {
        String name = model.getSimpleName();
        if (!definitions.has(name)) {
            ObjectNode definition = definitions.putObject(name);
            definition.put("type", "object");
            definition.put("additionalProperties", false);
            ObjectNode properties = definition.putObject("properties");
            for (Field field : model.getDeclaredFields()) {
                SerializedName json = field.getAnnotation(SerializedName.class);
                if (json != null && !Modifier.isStatic(field.getModifiers())) {
                    properties.set(json.value(), schemaOf(field.getGenericType()));
                }
            }
            Set<String> declared = new TreeSet<>(staticSet(model, "openapiFields"));
            if (!declared.equals(new TreeSet<>(properties.propertyNames()))) {
                throw new IllegalStateException(model + ": fields " + properties.propertyNames()
                        + " differ from its openapiFields " + declared);
            }
            ArrayNode required = definition.putArray("required");
            new TreeSet<>(staticSet(model, "openapiRequiredFields")).forEach(required::add);
        }
        ObjectNode ref = JSON.createObjectNode();
        ref.put("$ref", "#/$defs/" + name);
        return ref;
    }

    private JsonNode schemaOf(Type type) {
        ObjectNode schema = JSON.createObjectNode();
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] args = generic.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                schema.put("type", "array");
                schema.set("items", schemaOf(args[0]));
                return schema;
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                schema.put("type", "object");
                schema.set("additionalProperties", schemaOf(args[1]));
                return schema;
            }
            throw new IllegalStateException("no JSON schema for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            schema.put("type", "string");
        } else if (c == Integer.class || c == Long.class || c == int.class || c == long.class) {
            schema.put("type", "integer");
        } else if (c == Boolean.class || c == boolean.class) {
            schema.put("type", "boolean");
        } else if (c == Double.class || c == Float.class || c == BigDecimal.class) {
            schema.put("type", "number");
        } else if (c == OffsetDateTime.class) {
            schema.put("type", "string");
            schema.put("format", "date-time");
        } else if (c == byte[].class) {
            schema.put("type", "string");
            schema.put("pattern", BASE64);
        } else if (c == IntOrString.class) {
            schema.putArray("type").add("integer").add("string");
        } else if (c == Quantity.class) {
            schema.putArray("type").add("string").add("number");
            schema.put("pattern", QUANTITY);
        } else if (c == Object.class) {
            return schema; // free-form JSON (x-kubernetes-preserve-unknown-fields)
        } else if (MODELS.equals(c.getPackageName())) {
            return reference(c);
        } else {
            throw new IllegalStateException("no JSON schema for " + c);
        }
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> staticSet(Class<?> model, String field) {
        try {
            return (Set<String>) model.getField(field).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no " + field, e);
        }
    }
}
