package dev.kvstore.k8s;

import static dev.kvstore.k8s.Manifests.NODE;
import static dev.kvstore.k8s.Manifests.container;
import static dev.kvstore.k8s.Manifests.podLabels;
import static dev.kvstore.k8s.Manifests.podSpec;
import static dev.kvstore.k8s.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code k8s/} renders to valid Kubernetes objects that deploy the cluster the way DESIGN.md asks. */
class KubernetesManifestsTest {

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = Manifests.rendered();
    }

    @Test
    void rendersTheCoordinatorTheNodesAndTheirConfiguration() {
        assertThat(manifests.objects()).extracting(o -> o.path("kind").asString() + "/" + o.at("/metadata/name").asString())
                .containsExactlyInAnyOrder(
                        "ConfigMap/kv-coordinator-config", "ConfigMap/kv-node-config", "Secret/kv-cluster-secret",
                        "Service/kv-coordinator", "Service/kv-coordinator-peers", "StatefulSet/kv-coordinator",
                        "PodDisruptionBudget/kv-coordinator", "NetworkPolicy/kv-coordinator",
                        "Service/kv-node", "StatefulSet/kv-node", "PodDisruptionBudget/kv-node",
                        "NetworkPolicy/kv-node");
    }

    @Test
    void everyObjectIsValidAgainstTheKubernetesSchema() {
        for (JsonNode object : manifests.objects()) {
            assertThat(KubernetesSchema.get().validate(object)).as("schema problems").isEmpty();
        }
    }

    @Test
    void everyObjectCarriesTheCommonLabels() {
        for (JsonNode object : manifests.objects()) {
            assertThat(object.at("/metadata/labels/app.kubernetes.io~1name").asString())
                    .as("app.kubernetes.io/name of %s", object.at("/metadata/name")).isEqualTo("kvstore");
            assertThat(object.at("/metadata/labels/app.kubernetes.io~1part-of").asString())
                    .as("app.kubernetes.io/part-of of %s", object.at("/metadata/name")).isEqualTo("kvstore");
        }
        assertThat(podLabels(manifests.coordinator()).path("app.kubernetes.io/component").asString()).isEqualTo("coordinator");
        assertThat(podLabels(manifests.nodes()).path("app.kubernetes.io/component").asString()).isEqualTo("node");
    }

    @Test
    void theCoordinatorsAreThreeStatefulPodsStartedTogetherEachWithItsOwnRaftVolume() {
        JsonNode coordinators = manifests.coordinator();
        assertThat(coordinators.at("/spec/replicas").asInt()).isEqualTo(3);
        // A coordinator is ready only once a majority has elected a leader: started one by one, waiting
        // for readiness, the first would wait for ever.
        assertThat(coordinators.at("/spec/podManagementPolicy").asString()).isEqualTo("Parallel");
        JsonNode claims = coordinators.at("/spec/volumeClaimTemplates");
        assertThat(claims.size()).isEqualTo(1);
        assertThat(claims.get(0).at("/spec/accessModes/0").asString()).isEqualTo("ReadWriteOnce");
        String claim = claims.get(0).at("/metadata/name").asString();
        String dir = manifests.environment(container(coordinators)).get("KV_COORDINATOR_GROUP_DIR");
        assertThat(dir).as("KV_COORDINATOR_GROUP_DIR").isNotNull();
        assertThat(container(coordinators).path("volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.path("name").asString()).isEqualTo(claim);
            assertThat(dir).startsWith(mount.path("mountPath").asString() + "/");
        });
    }

    @Test
    void aDisruptionBudgetKeepsAMajorityOfTheCoordinators() {
        JsonNode budget = manifests.get("PodDisruptionBudget", Manifests.COORDINATOR);
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(selects(budget.at("/spec/selector/matchLabels"), podLabels(manifests.coordinator()))).isTrue();
        assertThat(selects(budget.at("/spec/selector/matchLabels"), podLabels(manifests.nodes()))).isFalse();
    }

    @Test
    void onlyCoordinatorsReachTheRaftPortWhileTheClientPortIsOpen() {
        JsonNode policy = manifests.get("NetworkPolicy", Manifests.COORDINATOR);
        JsonNode coordinators = manifests.coordinator();
        JsonNode container = container(coordinators);
        assertThat(selects(policy.at("/spec/podSelector/matchLabels"), podLabels(coordinators))).isTrue();
        int raft = Manifests.portNamed(container, "raft");
        int http = Manifests.containerPort(container);
        for (JsonNode rule : policy.at("/spec/ingress")) {
            for (JsonNode port : rule.path("ports")) {
                int allowed = Manifests.resolvePort(container, port.path("port"));
                if (allowed == raft) {
                    assertThat(rule.path("from")).as("who may reach the Raft port").isNotEmpty()
                            .allSatisfy(peer -> {
                                assertThat(peer.propertyNames()).containsExactly("podSelector");
                                assertThat(selects(peer.at("/podSelector/matchLabels"), podLabels(coordinators))).isTrue();
                                assertThat(selects(peer.at("/podSelector/matchLabels"), podLabels(manifests.nodes()))).isFalse();
                            });
                } else {
                    assertThat(allowed).isEqualTo(http);
                }
            }
        }
    }

    @Test
    void nodesAreThreeStatefulPodsEachWithItsOwnVolume() {
        JsonNode nodes = manifests.nodes();
        assertThat(nodes.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(nodes.at("/spec/podManagementPolicy").asString()).isEqualTo("Parallel");
        JsonNode claims = nodes.at("/spec/volumeClaimTemplates");
        assertThat(claims.size()).isEqualTo(1);
        assertThat(claims.get(0).at("/spec/accessModes/0").asString()).isEqualTo("ReadWriteOnce");
        assertThat(claims.get(0).at("/spec/resources/requests/storage").asString()).isNotBlank();
        String claim = claims.get(0).at("/metadata/name").asString();
        assertThat(container(nodes).path("volumeMounts")).extracting(m -> m.path("name").asString()).contains(claim);
    }

    @Test
    void theWorkloadSelectorsSelectTheirOwnPodsOnly() {
        JsonNode coordinator = manifests.coordinator();
        JsonNode nodes = manifests.nodes();
        assertThat(selects(coordinator.at("/spec/selector/matchLabels"), podLabels(coordinator))).isTrue();
        assertThat(selects(coordinator.at("/spec/selector/matchLabels"), podLabels(nodes))).isFalse();
        assertThat(selects(nodes.at("/spec/selector/matchLabels"), podLabels(nodes))).isTrue();
        assertThat(selects(nodes.at("/spec/selector/matchLabels"), podLabels(coordinator))).isFalse();
    }

    @Test
    void aDisruptionBudgetAllowsOneNodeDownAtATime() {
        JsonNode budget = manifests.get("PodDisruptionBudget", NODE);
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.at("/spec/minAvailable").isMissingNode()).isTrue();
        assertThat(selects(budget.at("/spec/selector/matchLabels"), podLabels(manifests.nodes()))).isTrue();
        assertThat(selects(budget.at("/spec/selector/matchLabels"), podLabels(manifests.coordinator()))).isFalse();
    }

    @Test
    void onlyTheCoordinatorAndOtherNodesReachTheNodesPort() {
        JsonNode policy = manifests.get("NetworkPolicy", NODE);
        JsonNode nodes = manifests.nodes();
        assertThat(selects(policy.at("/spec/podSelector/matchLabels"), podLabels(nodes))).isTrue();
        assertThat(policy.at("/spec/policyTypes")).extracting(JsonNode::asString).containsExactly("Ingress");
        JsonNode rules = policy.at("/spec/ingress");
        assertThat(rules.size()).isEqualTo(1);
        JsonNode from = rules.get(0).path("from");
        assertThat(from).allSatisfy(peer -> assertThat(peer.propertyNames()).containsExactly("podSelector"));
        List<JsonNode> allowed = List.of(podLabels(manifests.coordinator()), podLabels(nodes));
        assertThat(allowed).allSatisfy(labels -> assertThat(from)
                .anySatisfy(peer -> assertThat(selects(peer.at("/podSelector/matchLabels"), labels)).isTrue()));
        JsonNode ports = rules.get(0).path("ports");
        assertThat(ports.size()).isEqualTo(1);
        assertThat(Manifests.resolvePort(container(nodes), ports.get(0).path("port")))
                .isEqualTo(Manifests.containerPort(container(nodes)));
    }

    @Test
    void podsRunAsAnUnprivilegedUserOnAReadOnlyRoot() {
        for (JsonNode workload : List.of(manifests.coordinator(), manifests.nodes())) {
            JsonNode pod = podSpec(workload).path("securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("runAsUser").asInt()).isPositive();
            assertThat(pod.path("runAsGroup").asInt()).isPositive();
            assertThat(pod.path("fsGroup").asInt()).isEqualTo(pod.path("runAsGroup").asInt());
            assertThat(pod.at("/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
            assertThat(podSpec(workload).path("automountServiceAccountToken").asBoolean(true)).isFalse();

            JsonNode container = container(workload);
            JsonNode security = container.path("securityContext");
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(security.at("/capabilities/drop")).extracting(JsonNode::asString).containsExactly("ALL");
            assertThat(security.path("privileged").asBoolean()).isFalse();
            // The JVM and Tomcat need a writable /tmp on the read-only root.
            String tmp = mountedVolume(container, "/tmp");
            assertThat(podSpec(workload).path("volumes")).anySatisfy(volume -> {
                assertThat(volume.path("name").asString()).isEqualTo(tmp);
                assertThat(volume.has("emptyDir")).isTrue();
            });
        }
    }

    @Test
    void everyContainerHasRequestsLimitsAndAHeapSizedToItsLimit() {
        for (JsonNode workload : List.of(manifests.coordinator(), manifests.nodes())) {
            JsonNode resources = container(workload).path("resources");
            for (String path : List.of("/requests/cpu", "/requests/memory", "/limits/cpu", "/limits/memory")) {
                assertThat(resources.at(path).asString()).as(path).isNotBlank();
            }
            Map<String, String> env = manifests.environment(container(workload));
            assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
        }
    }

    @Test
    void bothAppsGetTheClusterSecretFromTheSecretWhichShipsAsAPlaceholderTheAppsRefuse() {
        JsonNode secret = manifests.get("Secret", "kv-cluster-secret");
        for (JsonNode workload : List.of(manifests.coordinator(), manifests.nodes())) {
            String source = manifests.environment(container(workload)).get("KV_CLUSTER_SECRET");
            assertThat(source).isEqualTo("secretKeyRef:kv-cluster-secret/cluster-secret");
        }
        // A placeholder the apps refuse to start with, so a deployment that forgot to replace it fails loudly.
        String placeholder = new String(Base64.getDecoder().decode(secret.at("/data/cluster-secret").asString()),
                StandardCharsets.UTF_8);
        assertThat(placeholder).startsWith("CHANGE-ME");
    }

    static String mountedVolume(JsonNode container, String mountPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mountPath.equals(mount.path("mountPath").asString())) {
                return mount.path("name").asString();
            }
        }
        throw new AssertionError("nothing is mounted at " + mountPath + " in " + container.path("name"));
    }
}
