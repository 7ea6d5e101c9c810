package dev.kvstore.k8s;

import static dev.kvstore.k8s.Manifests.NODE;
import static dev.kvstore.k8s.Manifests.container;
import static dev.kvstore.k8s.Manifests.containerPort;
import static dev.kvstore.k8s.Manifests.podLabels;
import static dev.kvstore.k8s.Manifests.resolvePort;
import static dev.kvstore.k8s.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The manifests configure the apps as they are built: ports, probes, properties and the URLs they call. */
class ManifestsMatchAppsTest {

    /** Environment variables Spring binds to properties (the others, like JAVA_TOOL_OPTIONS, are not checked). */
    private static final Pattern SPRING_VARIABLE = Pattern.compile("^(KV|SERVER|MANAGEMENT|SPRING)_.*");
    private static final Pattern ADVERTISED_URL =
            Pattern.compile("^http://\\$\\(POD_NAME\\)\\.([a-z0-9-]+)\\.\\$\\(POD_NAMESPACE\\)\\.svc\\.cluster\\.local:(\\d+)$");

    private static Manifests manifests;
    private static AppJar coordinatorApp;
    private static AppJar nodeApp;

    @BeforeAll
    static void load() {
        manifests = Manifests.rendered();
        coordinatorApp = AppJar.coordinator();
        nodeApp = AppJar.node();
    }

    @Test
    void containerPortsAreTheAppsServerPorts() {
        Map<String, String> coordinatorEnv = manifests.environment(container(manifests.coordinator()));
        int coordinatorPort = coordinatorEnv.containsKey("SERVER_PORT")
                ? Integer.parseInt(coordinatorEnv.get("SERVER_PORT")) : coordinatorApp.defaultServerPort();
        assertThat(containerPort(container(manifests.coordinator()))).isEqualTo(coordinatorPort).isEqualTo(8080);

        // The node's own default is a random port: the manifest must fix one.
        assertThat(nodeApp.defaultServerPort()).isZero();
        String nodePort = manifests.environment(container(manifests.nodes())).get("SERVER_PORT");
        assertThat(nodePort).as("SERVER_PORT of the nodes").isNotNull();
        assertThat(containerPort(container(manifests.nodes()))).isEqualTo(Integer.parseInt(nodePort));
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnTheContainerPort() {
        for (JsonNode workload : List.of(manifests.coordinator(), manifests.nodes())) {
            JsonNode container = container(workload);
            Map<String, String> expected = Map.of(
                    "startupProbe", "/actuator/health/liveness",
                    "livenessProbe", "/actuator/health/liveness",
                    "readinessProbe", "/actuator/health/readiness");
            expected.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("path").asString()).as("%s path of %s", probe, container.path("name")).isEqualTo(path);
                assertThat(resolvePort(container, get.path("port"))).as("%s port", probe).isEqualTo(containerPort(container));
            });
            // The startup probe must outlast a slow JVM start before liveness may restart the container.
            JsonNode startup = container.path("startupProbe");
            assertThat(startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3))
                    .isGreaterThanOrEqualTo(120);
        }
    }

    @Test
    void everySpringEnvironmentVariableBindsToAPropertyOfItsApp() {
        List<String> unbound = new ArrayList<>();
        for (var app : Map.of(manifests.coordinator(), coordinatorApp, manifests.nodes(), nodeApp).entrySet()) {
            for (String name : manifests.environment(container(app.getKey())).keySet()) {
                if (SPRING_VARIABLE.matcher(name).matches() && !app.getValue().binds(name)) {
                    unbound.add(app.getValue().name() + ": " + name);
                }
            }
        }
        assertThat(unbound).as("environment variables that bind to no property of the app").isEmpty();
        // ...and the check itself tells a misspelled variable from a real one.
        assertThat(nodeApp.binds("KV_NODE_ADVERTISED_URL")).isTrue();
        assertThat(nodeApp.binds("KV_NODE_ADVERTISEDURL")).isTrue();
        assertThat(nodeApp.binds("SERVER_PORT")).isTrue();
        assertThat(nodeApp.binds("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED")).isTrue();
        assertThat(nodeApp.binds("KV_NODE_ADVERTIZED_URL")).isFalse();
        assertThat(coordinatorApp.binds("KV_WAL_FSYNC")).isFalse();
    }

    @Test
    void eachNodeIsNamedAfterItsPod() {
        Map<String, String> env = manifests.environment(container(manifests.nodes()));
        assertThat(env).containsEntry("KV_NODE_ID", "fieldRef:metadata.name");
    }

    @Test
    void theDataDirectoryIsThePersistentVolume() {
        JsonNode nodes = manifests.nodes();
        String dataDir = manifests.environment(container(nodes)).get("KV_NODE_DATA_DIR");
        assertThat(dataDir).as("KV_NODE_DATA_DIR").isNotNull();
        String volume = KubernetesManifestsTest.mountedVolume(container(nodes), dataDir);
        assertThat(nodes.at("/spec/volumeClaimTemplates")).extracting(c -> c.at("/metadata/name").asString())
                .containsExactly(volume);
    }

    @Test
    void theAdvertisedUrlReachesThePodThroughTheHeadlessService() {
        JsonNode nodes = manifests.nodes();
        JsonNode container = container(nodes);
        Map<String, String> env = manifests.environment(container);
        String url = env.get("KV_NODE_ADVERTISED_URL");
        Matcher parts = ADVERTISED_URL.matcher(String.valueOf(url));
        assertThat(parts.matches()).as("KV_NODE_ADVERTISED_URL %s has the form %s", url, ADVERTISED_URL).isTrue();

        // $(VAR) expands only variables defined before it in the list.
        List<String> order = new ArrayList<>(env.keySet());
        assertThat(env).containsEntry("POD_NAME", "fieldRef:metadata.name")
                .containsEntry("POD_NAMESPACE", "fieldRef:metadata.namespace");
        assertThat(order.indexOf("POD_NAME")).isLessThan(order.indexOf("KV_NODE_ADVERTISED_URL"));
        assertThat(order.indexOf("POD_NAMESPACE")).isLessThan(order.indexOf("KV_NODE_ADVERTISED_URL"));

        String service = parts.group(1);
        assertThat(service).isEqualTo(nodes.at("/spec/serviceName").asString()).isEqualTo(NODE);
        assertThat(Integer.parseInt(parts.group(2))).isEqualTo(containerPort(container));

        JsonNode headless = manifests.get("Service", service);
        assertThat(headless.at("/spec/clusterIP").asString()).isEqualTo("None");
        assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(selects(headless.at("/spec/selector"), podLabels(nodes))).isTrue();
        assertThat(headless.at("/spec/ports")).anySatisfy(port -> {
            assertThat(port.path("port").asInt()).isEqualTo(containerPort(container));
            assertThat(resolvePort(container, port.path("targetPort"))).isEqualTo(containerPort(container));
        });
    }

    @Test
    void nodesReachEveryCoordinatorByNameEvenBeforeItIsReady() {
        JsonNode coordinators = manifests.coordinator();
        String urls = manifests.environment(container(manifests.nodes())).get("KV_COORDINATOR_URLS");
        assertThat(urls).isNotBlank();
        List<String> pods = new ArrayList<>();
        for (String each : urls.split(",")) {
            URI url = URI.create(each.strip());
            assertThat(url.getPort()).isEqualTo(containerPort(container(coordinators)));
            pods.add(podThroughHeadlessService(url.getHost(), url.getPort()));
        }
        assertThat(pods).containsExactlyElementsOf(podNames(coordinators));
    }

    @Test
    void theCoordinatorGroupListsEveryPodWithItsRaftPortAndUrl() {
        JsonNode coordinators = manifests.coordinator();
        JsonNode container = container(coordinators);
        Map<String, String> env = manifests.environment(container);
        assertThat(env).containsEntry("KV_COORDINATOR_GROUP_ID", "fieldRef:metadata.name");
        List<String> ids = new ArrayList<>();
        for (String peer : env.get("KV_COORDINATOR_GROUP_PEERS").split(",")) {
            String[] parts = peer.split("=", 3);
            assertThat(parts).as("id=host:raftPort=url: %s", peer).hasSize(3);
            String[] raft = parts[1].split(":");
            assertThat(Integer.parseInt(raft[1])).isEqualTo(Manifests.portNamed(container, "raft"));
            assertThat(podThroughHeadlessService(raft[0], Integer.parseInt(raft[1]))).isEqualTo(parts[0]);
            URI url = URI.create(parts[2]);
            assertThat(podThroughHeadlessService(url.getHost(), url.getPort())).isEqualTo(parts[0]);
            ids.add(parts[0]);
        }
        assertThat(ids).containsExactlyElementsOf(podNames(coordinators));
    }

    /** {@code pod.service}: the service is the coordinators' headless one, ready or not; returns the pod. */
    private static String podThroughHeadlessService(String host, int port) {
        JsonNode coordinators = manifests.coordinator();
        String[] parts = host.split("\\.", 2);
        assertThat(parts).as("%s is pod.service", host).hasSize(2);
        assertThat(parts[1]).isEqualTo(coordinators.at("/spec/serviceName").asString());
        JsonNode service = manifests.get("Service", parts[1]);
        assertThat(service.at("/spec/clusterIP").asString()).isEqualTo("None");
        // A coordinator is ready only once its group has a leader and the nodes have formed the ring.
        assertThat(service.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(selects(service.at("/spec/selector"), podLabels(coordinators))).isTrue();
        assertThat(service.at("/spec/ports")).anySatisfy(p -> {
            assertThat(p.path("port").asInt()).isEqualTo(port);
            assertThat(resolvePort(container(coordinators), p.path("targetPort"))).isEqualTo(port);
        });
        return parts[0];
    }

    private static List<String> podNames(JsonNode statefulSet) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < statefulSet.at("/spec/replicas").asInt(); i++) {
            names.add(statefulSet.at("/metadata/name").asString() + "-" + i);
        }
        return names;
    }

    @Test
    void theWriteAheadLogFsyncsEveryAcknowledgedWrite() {
        assertThat(manifests.environment(container(manifests.nodes()))).containsEntry("KV_WAL_FSYNC", "always");
    }
}
