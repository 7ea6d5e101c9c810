package dev.kvstore.coordinator.group;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Knocks on {@code host:port}: true only when the connection was refused, which the kernel answers
 * only when nothing listens there, so the process that did is gone. A timeout or any other failure
 * proves nothing (the host may be paused, or cut off) and answers false.
 */
@FunctionalInterface
public interface Knock {

    boolean refused(String host, int port);

    /** A TCP connect that gives up after {@code timeout}. */
    static Knock tcp(Duration timeout) {
        return (host, port) -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (IOException | RuntimeException other) {
                return false;
            }
        };
    }
}
