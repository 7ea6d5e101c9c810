package dev.kvstore.k8s;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image archive as Jib writes it (an image layout in a tar): its name and its configuration
 * (entry point, user, ports, environment, volumes). Layers are skipped, not read.
 *
 * @param reference the image name and tag ({@code org.opencontainers.image.ref.name})
 * @param config    the image configuration's {@code config} object (Entrypoint, User, ExposedPorts, ...)
 */
record OciImage(String reference, JsonNode config) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int BLOCK = 512;

    static OciImage read(Path tar) {
        Map<String, byte[]> small = smallEntries(tar);
        JsonNode index = JSON.readTree(small.get("index.json"));
        JsonNode descriptor = index.path("manifests").get(0);
        JsonNode manifest = JSON.readTree(small.get(blob(descriptor)));
        JsonNode config = JSON.readTree(small.get(blob(manifest.path("config"))));
        return new OciImage(descriptor.at("/annotations/org.opencontainers.image.ref.name").asString(),
                config.path("config"));
    }

    private static String blob(JsonNode descriptor) {
        return "blobs/" + descriptor.path("digest").asString().replace(':', '/');
    }

    /** Every entry under 1 MB (the index, manifests and configs; layers are larger and skipped). */
    private static Map<String, byte[]> smallEntries(Path tar) {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
            byte[] header = new byte[BLOCK];
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (header[156] == '0' || header[156] == 0) {
                    String path = prefix.isEmpty() ? name : prefix + "/" + name;
                    if (size < 1 << 20) {
                        entries.put(path, in.readNBytes((int) size));
                        in.skipNBytes(padded - size);
                        continue;
                    }
                }
                in.skipNBytes(padded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(tar.toString(), e);
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
