package dev.kvstore.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The objects {@code kubectl kustomize k8s/} renders, with the lookups the checks share. */
final class Manifests {

    static final String COORDINATOR = "kv-coordinator";
    static final String NODE = "kv-node";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static Manifests rendered;

    private final List<JsonNode> objects;

    Manifests(List<JsonNode> objects) {
        this.objects = List.copyOf(objects);
    }

    /** {@code k8s/} rendered once per test run; skipped (failed on CI) without kubectl. */
    static synchronized Manifests rendered() {
        if (rendered == null) {
            Path kubectl = Kubectl.find().orElse(null);
            Prerequisites.require(kubectl != null, "no kubectl on the PATH (or at -Dkv.kubectl=...): it renders "
                    + "k8s/ with `kubectl kustomize`; Debian's kubernetes-client package has one");
            rendered = new Manifests(parse(Kubectl.kustomize(kubectl, Prerequisites.repoRoot().resolve("k8s"))));
        }
        return rendered;
    }

    static List<JsonNode> parse(String yaml) {
        return YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll().stream()
                .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
                .toList();
    }

    List<JsonNode> objects() {
        return objects;
    }

    JsonNode get(String kind, String name) {
        List<JsonNode> found = objects.stream()
                .filter(o -> kind.equals(o.path("kind").asString()) && name.equals(o.at("/metadata/name").asString()))
                .toList();
        assertThat(found).as("rendered %s %s", kind, name).hasSize(1);
        return found.getFirst();
    }

    JsonNode coordinator() {
        return get("StatefulSet", COORDINATOR);
    }

    JsonNode nodes() {
        return get("StatefulSet", NODE);
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.at("/spec/template/spec");
    }

    /** The workload's one container (both apps run a single container per pod). */
    static JsonNode container(JsonNode workload) {
        JsonNode containers = podSpec(workload).path("containers");
        assertThat(containers.size()).as("containers of %s", workload.at("/metadata/name").asString()).isEqualTo(1);
        return containers.get(0);
    }

    /** The container port a probe's, service's or policy's port (a number or a port name) designates. */
    static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isIntegralNumber()) {
            return port.intValue();
        }
        for (JsonNode p : container.path("ports")) {
            if (port.asString().equals(p.path("name").asString())) {
                return p.path("containerPort").intValue();
            }
        }
        throw new AssertionError("no container port named " + port.asString() + " in " + container.path("name"));
    }

    /** The container's HTTP port: its only port, or the one named {@code http}. */
    static int containerPort(JsonNode container) {
        JsonNode ports = container.path("ports");
        if (ports.size() == 1) {
            return ports.get(0).path("containerPort").intValue();
        }
        return portNamed(container, "http");
    }

    static int portNamed(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asString())) {
                return p.path("containerPort").intValue();
            }
        }
        throw new AssertionError("no container port named " + name + " in " + container.path("name"));
    }

    /**
     * Every environment variable the container gets, in the order Kubernetes applies them: the
     * ConfigMaps of {@code envFrom} first, then {@code env}, which overrides them. Values are the literal
     * text (with {@code $(VAR)} references unexpanded), or a description of their source such as
     * {@code fieldRef:metadata.name} or {@code secretKeyRef:kv-cluster-secret/cluster-secret}.
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            JsonNode ref = from.path("configMapRef");
            assertThat(ref.isMissingNode()).as("envFrom other than configMapRef: %s", from).isFalse();
            JsonNode configMap = get("ConfigMap", ref.path("name").asString());
            configMap.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
        }
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asString();
            env.remove(name);
            JsonNode from = var.path("valueFrom");
            if (from.isMissingNode()) {
                env.put(name, var.path("value").asString());
            } else if (from.has("fieldRef")) {
                env.put(name, "fieldRef:" + from.at("/fieldRef/fieldPath").asString());
            } else if (from.has("secretKeyRef")) {
                env.put(name, "secretKeyRef:" + from.at("/secretKeyRef/name").asString() + "/"
                        + from.at("/secretKeyRef/key").asString());
            } else if (from.has("configMapKeyRef")) {
                JsonNode ref = from.path("configMapKeyRef");
                env.put(name, get("ConfigMap", ref.path("name").asString()).at("/data/" + ref.path("key").asString())
                        .asString());
            } else {
                env.put(name, "valueFrom:" + from);
            }
        }
        return env;
    }

    /** Whether {@code selector} (a {@code matchLabels} map or a Service's selector) selects pods with {@code labels}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            if (!label.getValue().asString().equals(labels.path(label.getKey()).asString())) {
                return false;
            }
        }
        return true;
    }

    static JsonNode podLabels(JsonNode workload) {
        return workload.at("/spec/template/metadata/labels");
    }
}
