package dev.kvstore.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The schema the manifests are validated against rejects what the Kubernetes API server would. */
class KubernetesSchemaTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
              labels: {app: demo}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                  - name: demo
                    image: demo:1
                    ports:
                    - containerPort: 8080
                    readinessProbe:
                      httpGet: {path: /ready, port: http}
                    resources:
                      limits: {cpu: "1", memory: 1Gi}
                      requests: {cpu: 250m, memory: 512Mi}
            """;

    private final KubernetesSchema schema = KubernetesSchema.get();

    @Test
    void acceptsAValidDeployment() {
        assertThat(problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void rejectsAMisspelledField() {
        assertThat(problems(DEPLOYMENT.replace("replicas: 1", "replica: 1")))
                .singleElement().asString().contains("/spec").contains("replica");
        assertThat(problems(DEPLOYMENT.replace("containerPort: 8080", "containerport: 8080")))
                .anySatisfy(p -> assertThat(p).contains("/spec/template/spec/containers/0/ports/0")
                        .contains("containerport"));
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        assertThat(problems(DEPLOYMENT.replace("replicas: 1", "replicas: \"1\"")))
                .singleElement().asString().contains("/spec/replicas").contains("integer");
        assertThat(problems(DEPLOYMENT.replace("image: demo:1", "image: [demo]")))
                .singleElement().asString().contains("/spec/template/spec/containers/0/image").contains("string");
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertThat(problems(DEPLOYMENT.replace("- name: demo\n", "- \n")))
                .singleElement().asString().contains("/spec/template/spec/containers/0").contains("name");
        assertThat(problems(DEPLOYMENT.replace("kind: Deployment\n", ""))).isNotEmpty();
        assertThat(problems(DEPLOYMENT.replace("  name: demo\n  labels", "  labels")))
                .singleElement().asString().contains("/metadata").contains("name");
    }

    @Test
    void rejectsAMalformedQuantityOrIntOrString() {
        assertThat(problems(DEPLOYMENT.replace("memory: 1Gi", "memory: 1 GB")))
                .singleElement().asString().contains("/resources/limits/memory");
        assertThat(problems(DEPLOYMENT.replace("port: http", "port: {name: http}")))
                .singleElement().asString().contains("/readinessProbe/httpGet/port");
    }

    @Test
    void rejectsAnUnknownApiVersionOrKind() {
        assertThat(problems(DEPLOYMENT.replace("apps/v1", "apps/v1beta1")))
                .singleElement().asString().contains("not a known Kubernetes type");
        assertThat(problems(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet")))
                .singleElement().asString().contains("not a known Kubernetes type");
    }

    @Test
    void checksEveryKindItKnowsWithItsOwnModel() {
        assertThat(problems("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: demo}
                spec:
                  maxUnavailable: 1
                  minAvailable: "50%"
                  selector: {matchLabels: {app: demo}}
                """)).isEmpty();
        assertThat(problems("""
                apiVersion: v1
                kind: Secret
                metadata: {name: demo}
                data: {key: "not base64!"}
                """)).singleElement().asString().contains("/data/key");
        assertThat(problems("""
                apiVersion: v1
                kind: Service
                metadata: {name: demo}
                spec:
                  clusterIP: None
                  publishNotReadyAdresses: true
                """)).singleElement().asString().contains("publishNotReadyAdresses");
    }

    private List<String> problems(String yaml) {
        List<JsonNode> objects = Manifests.parse(yaml);
        assertThat(objects).hasSize(1);
        return schema.validate(objects.getFirst());
    }
}
