package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kvstore.e2e.history.History;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose disk fills, for real: node-2's data directory is a 48 MB tmpfs, and under a client load
 * the test fills it, first to below the high watermark (new values refused with 507, deletes taken), then
 * to the last byte (its log fails: out of the write path at once, failed over after the heartbeat
 * timeout, every key writable again), then frees it: the node reopens its log by itself, without a
 * restart, comes back UP and is handed its share. No 500 anywhere, no acknowledged write lost, every key
 * on exactly its two replicas at the end.
 *
 * <p>Mounting a tmpfs takes root; without it the test is skipped (and says so).
 */
class DiskFullIT {

    private static final String VICTIM = "node-2";
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    private static final long MB = 1024 * 1024;

    private static Path data;
    private static Path victimDir;
    private static boolean mounted;
    private static LocalCluster cluster;
    private static ScenarioChecks checks;

    @BeforeAll
    static void up() throws Exception {
        data = Files.createTempDirectory("kv-diskfull-");
        victimDir = Files.createDirectories(data.resolve(VICTIM));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", victimDir.toString()) == 0;
        assumeTrue(mounted, "mounting a size-limited tmpfs needs root; skipped");
        cluster = new LocalCluster(data, Map.of(
                "KV_COORDINATOR_ARGS", "--kv.membership.heartbeat-timeout=" + HEARTBEAT_TIMEOUT.toSeconds() + "s "
                        + "--kv.cache.sets=16 --kv.cache.ways=2",
                "KV_NODE_ARGS", "--kv.disk.high-watermark=8MB --kv.disk.low-watermark=16MB --kv.disk.read-every=100ms",
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        System.out.println("DiskFullIT: cluster in " + data + ", " + VICTIM + " on a 48 MB tmpfs");
        cluster.up(3);
        checks = new ScenarioChecks(cluster);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (mounted) {
            run("umount", "-l", victimDir.toString());
        }
    }

    @Test
    void aNodeWhoseDiskFillsRefusesNewValuesThenIsFailedOverAndHealsWithoutARestartOnceFreed() throws Exception {
        History history = new History();
        ClientLoad load = new ClientLoad(cluster, history, "diskfull", 40, 6);
        Path filler = victimDir.resolve("filler");
        try {
            Thread.sleep(2_000);

            // Below the high watermark: new values to node-2's keys are refused with 507, deletes go on.
            fillLeaving(filler, 4 * MB);
            long noSpaceBefore = load.noSpace.get();
            checks.awaitThat("PUTs to " + VICTIM + "'s keys refused with 507", Duration.ofSeconds(20),
                    () -> load.noSpace.get() > noSpaceBefore + 5);
            assertThat(checks.stateOf(VICTIM)).isEqualTo("UP");

            // To the last byte: its log fails at its next record, and it is failed over.
            long full = System.nanoTime();
            fillLeaving(filler, 0);
            checks.awaitThat(VICTIM + " DOWN and every range with two writable copies again",
                    HEARTBEAT_TIMEOUT.plusSeconds(30),
                    () -> checks.stateOf(VICTIM).equals("DOWN") && checks.fullyReplicated());
            Duration failedOver = Duration.ofNanos(System.nanoTime() - full);
            long okBefore = load.succeeded.get();
            checks.awaitThat("writes succeed again", Duration.ofSeconds(10), () -> load.succeeded.get() > okBefore + 20);

            // Space freed: the node reopens its log by itself and is handed its share back.
            long freed = System.nanoTime();
            Files.delete(filler);
            checks.awaitThat(VICTIM + " UP again and every range with two copies", () ->
                    checks.stateOf(VICTIM).equals("UP") && checks.fullyReplicated());
            Duration healed = Duration.ofNanos(System.nanoTime() - freed);
            System.out.printf("DiskFullIT: %d refused 507; disk full to every key writable again %d ms; space freed to "
                    + "%s UP %d ms%n", load.noSpace.get(), failedOver.toMillis(), VICTIM, healed.toMillis());
            Thread.sleep(2_000);
        } finally {
            load.close();
        }
        String log = cluster.log(VICTIM);
        assertThat(Pattern.compile("storage ready in").matcher(log).results().count())
                .as("%s healed without a restart", VICTIM).isEqualTo(1);
        assertThat(log).contains("rebuilt from its log after the log failed");
        checks.verify("diskfull", history, load);
    }

    /** Grows {@code filler} until the file system has at most {@code free} bytes left (0: until it refuses). */
    private static void fillLeaving(Path filler, long free) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (Files.getFileStore(victimDir).getUsableSpace() > free) {
                long room = Files.getFileStore(victimDir).getUsableSpace() - free;
                out.write(chunk, 0, (int) Math.min(chunk.length, Math.max(room, 1)));
                out.flush();
            }
        } catch (IOException full) {
            if (free > 0 || !full.getMessage().contains("No space left")) {
                throw full;
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (exit != 0) {
            System.out.println("DiskFullIT: " + String.join(" ", command) + " exited " + exit + ": " + output.strip());
        }
        return exit;
    }
}
