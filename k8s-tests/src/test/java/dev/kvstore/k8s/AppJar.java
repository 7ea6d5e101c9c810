package dev.kvstore.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What an app's runnable jar says about its configuration: every property it can bind (its own
 * configuration metadata and that of every library in it, Spring Boot's included), its
 * {@code application.yaml}, and its main class.
 *
 * @param name          the app's module, e.g. {@code node-app}
 * @param properties    every known property name, e.g. {@code kv.node.advertised-url}
 * @param mapProperties properties of a map type, whose keys continue the name
 * @param application   the app's {@code application.yaml}
 * @param startClass    the main class the Spring Boot launcher starts
 */
record AppJar(String name, Set<String> properties, Set<String> mapProperties, JsonNode application,
              String startClass) {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static final Map<String, AppJar> LOADED = new ConcurrentHashMap<>();

    static AppJar coordinator() {
        return LOADED.computeIfAbsent("coordinator-app", m -> load(m, m + "-" + version() + "-exec.jar"));
    }

    static AppJar node() {
        return LOADED.computeIfAbsent("node-app", m -> load(m, m + "-" + version() + "-exec.jar"));
    }

    private static String version() {
        return System.getProperty("kv.version", "0.1.0-SNAPSHOT");
    }

    private static AppJar load(String module, String jarName) {
        Path jar = Prerequisites.requireFile(Prerequisites.repoRoot().resolve(module).resolve("target").resolve(jarName),
                "build it with ./mvnw package (the reactor packages the apps before these tests)");
        Set<String> properties = new HashSet<>();
        Set<String> mapProperties = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            // Spring Boot's repackaging moves the app's META-INF to the root of the jar.
            JarEntry own = file.getJarEntry(METADATA) != null
                    ? file.getJarEntry(METADATA) : file.getJarEntry("BOOT-INF/classes/" + METADATA);
            if (own == null) {
                throw new IllegalStateException(jar + " has no " + METADATA + ": is the configuration processor "
                        + "configured in " + module + "/pom.xml?");
            }
            try (InputStream in = file.getInputStream(own)) {
                addMetadata(in, properties, mapProperties);
            }
            // Each library copied out (they are stored uncompressed) so that only its directory is read.
            Path library = Files.createTempFile("kv-app-lib", ".jar");
            try {
                for (JarEntry entry : file.stream().toList()) {
                    if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                        }
                        try (ZipFile nested = new ZipFile(library.toFile())) {
                            ZipEntry metadata = nested.getEntry(METADATA);
                            if (metadata != null) {
                                try (InputStream in = nested.getInputStream(metadata)) {
                                    addMetadata(in, properties, mapProperties);
                                }
                            }
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(library);
            }
            JsonNode application;
            try (InputStream in = file.getInputStream(file.getJarEntry("BOOT-INF/classes/application.yaml"))) {
                application = YAML.readTree(in);
            }
            String startClass = file.getManifest().getMainAttributes().getValue("Start-Class");
            return new AppJar(module, Set.copyOf(properties), Set.copyOf(mapProperties), application, startClass);
        } catch (IOException e) {
            throw new UncheckedIOException(jar.toString(), e);
        }
    }

    private static void addMetadata(InputStream in, Set<String> properties, Set<String> mapProperties)
            throws IOException {
        JsonNode metadata = JSON.readTree(in.readAllBytes());
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            properties.add(name);
            if (property.path("type").asString("").startsWith("java.util.Map<")) {
                mapProperties.add(name);
            }
        }
    }

    /**
     * Whether Spring binds the environment variable to one of the app's properties: its relaxed-binding
     * form is the property name in upper case with dots as underscores and dashes dropped
     * ({@code KV_NODE_ADVERTISEDURL}) or, the legacy form, as underscores ({@code KV_NODE_ADVERTISED_URL}).
     */
    boolean binds(String environmentVariable) {
        for (String property : properties) {
            if (environmentVariable.equals(envForm(property, "")) || environmentVariable.equals(envForm(property, "_"))) {
                return true;
            }
        }
        for (String property : mapProperties) {
            if (environmentVariable.startsWith(envForm(property, "") + "_")
                    || environmentVariable.startsWith(envForm(property, "_") + "_")) {
                return true;
            }
        }
        return false;
    }

    private static String envForm(String property, String dash) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", dash);
    }

    /** {@code server.port} as the app's own configuration sets it. */
    int defaultServerPort() {
        return application.at("/server/port").asInt(8080);
    }
}
