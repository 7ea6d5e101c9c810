package dev.kvstore.coordinator.group;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for coordinators that must know each other's addresses before they start. They come from
 * below Linux's ephemeral range (32768 and up): a port asked of the kernel with {@code new ServerSocket(0)}
 * and released again can be handed to a peer's outgoing connection (Raft retries connect many times a
 * second while the group forms) before the coordinator meant to listen on it binds it.
 */
final class TestPorts {

    private static final Set<Integer> GIVEN = new HashSet<>();

    private TestPorts() {
    }

    /** A port between 20000 and 30000 nobody listens on now and not handed out before in this JVM. */
    static synchronized int free() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            if (!GIVEN.contains(port) && isFree(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IOException("found no free port between 20000 and 30000");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
