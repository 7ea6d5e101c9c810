package dev.kvstore.node.cluster;

import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/** Chooses the node's id once and keeps it, so a restarted node comes back as itself. */
public final class NodeIdentity {

    static final String FILE = "node-id";
    static final String TOKEN_FILE = "node-token";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern VALID_TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private NodeIdentity() {
    }

    /**
     * The configured id when there is one (it must agree with an id already kept in {@code dataDir});
     * otherwise the kept id; otherwise a new one, written to {@code dataDir} durably before use.
     */
    public static String resolve(String configured, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        String kept = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        if (configured != null && !configured.isBlank()) {
            requireValid(configured);
            if (kept != null && !kept.equals(configured)) {
                throw new IllegalStateException("kv.node.id is '" + configured + "' but " + file
                        + " belongs to node '" + kept + "'; use that id or another data directory");
            }
            if (kept == null) {
                write(file, configured);
            }
            return configured;
        }
        if (kept != null) {
            requireValid(kept);
            return kept;
        }
        String generated = "node-" + UUID.randomUUID().toString().substring(0, 8);
        write(file, generated);
        return generated;
    }

    /**
     * The node's instance token: random, generated with the data directory and kept in it, so the node
     * restarted on the same data presents the same token from whatever URL it comes back on, and a
     * second node configured with the same id but other data does not.
     */
    public static String instanceToken(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(TOKEN_FILE);
        if (Files.exists(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!VALID_TOKEN.matcher(kept).matches()) {
                throw new IllegalStateException(file + " is damaged: it should hold 16 to 128 base64url characters; "
                        + "delete it to give this node a new instance token");
            }
            return kept;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        write(file, token);
        return token;
    }

    private static void requireValid(String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalStateException("node id '" + id
                    + "' is invalid: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void write(Path file, String content) throws IOException {
        Disk.REAL.replace(file, content + "\n");
    }
}
