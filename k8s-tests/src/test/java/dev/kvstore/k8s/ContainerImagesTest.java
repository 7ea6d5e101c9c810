package dev.kvstore.k8s;

import static dev.kvstore.k8s.Manifests.container;
import static dev.kvstore.k8s.Manifests.containerPort;
import static dev.kvstore.k8s.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The images Jib builds are the ones the manifests run, and run the way the manifests expect. Checked
 * on the configuration Jib writes on an empty base at every {@code package} with tests
 * ({@code target/jib-check.tar}); the real images differ only in their base.
 */
class ContainerImagesTest {

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = Manifests.rendered();
    }

    @Test
    void theCoordinatorImageRunsAsTheManifestExpects() {
        JsonNode workload = manifests.coordinator();
        OciImage image = image("coordinator-app");
        assertMatches(image, workload, AppJar.coordinator());
    }

    @Test
    void theNodeImageRunsAsTheManifestExpects() {
        JsonNode workload = manifests.nodes();
        OciImage image = image("node-app");
        assertMatches(image, workload, AppJar.node());

        Map<String, String> imageEnv = new HashMap<>();
        image.config().path("Env").forEach(e -> {
            String[] pair = e.asString().split("=", 2);
            imageEnv.put(pair[0], pair[1]);
        });
        Map<String, String> manifestEnv = manifests.environment(container(workload));
        assertThat(imageEnv.get("SERVER_PORT")).isEqualTo(manifestEnv.get("SERVER_PORT"));
        assertThat(imageEnv.get("KV_NODE_DATA_DIR")).isEqualTo(manifestEnv.get("KV_NODE_DATA_DIR"));
        assertThat(image.config().path("Volumes").propertyNames()).containsExactly(manifestEnv.get("KV_NODE_DATA_DIR"));
    }

    private static void assertMatches(OciImage image, JsonNode workload, AppJar app) {
        JsonNode container = container(workload);
        assertThat(image.reference()).as("image name").isEqualTo(container.path("image").asString());

        JsonNode security = podSpec(workload).path("securityContext");
        assertThat(image.config().path("User").asString())
                .isEqualTo(security.path("runAsUser").asInt() + ":" + security.path("runAsGroup").asInt());

        assertThat(image.config().path("ExposedPorts").propertyNames()).containsExactly(containerPort(container) + "/tcp");

        JsonNode entrypoint = image.config().path("Entrypoint");
        assertThat(entrypoint.get(0).asString()).isEqualTo("java");
        assertThat(entrypoint.get(entrypoint.size() - 1).asString()).as("main class").isEqualTo(app.startClass());
    }

    private static OciImage image(String module) {
        Path tar = Prerequisites.requireFile(Prerequisites.repoRoot().resolve(module).resolve("target/jib-check.tar"),
                "the apps write it during `./mvnw package` unless tests are skipped");
        return OciImage.read(tar);
    }
}
