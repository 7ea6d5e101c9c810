package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.e2e.history.FinalRead;
import dev.kvstore.e2e.history.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A long run of mixed faults under 16 clients: node kill -9 and return (before or after its
 * failover), a node frozen and then killed (writes left in doubt), a node frozen and thawed, the
 * coordinator killed -9 and restarted, and power cuts; never more than one node down at a time, with
 * time to recover between faults. The schedule is random from a seed that is printed
 * ({@code -Dsoak.seed=} replays it, as far as timing allows). Every {@code soak.check-minutes} and at
 * the end, at a quiet point (load stopped, cluster recovered), the history is checked, every key must
 * sit on its two replicas with equal value and version, and every key must be readable and writable;
 * the next stretch's history then starts from the values read, so memory stays bounded.
 *
 * <p>Runs only when asked, e.g. for 30 minutes: {@code ./mvnw verify -pl e2e-tests -am -Dit.test=SoakIT
 * -Dsoak.minutes=30 -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 * (the README's Test section).
 */
@EnabledIfSystemProperty(named = "soak.minutes", matches = "\\d+")
class SoakIT {

    private static final int NODES = 3;
    private static final int CLIENTS = 16;
    private static final int KEYS = 64;
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration WRITABLE_BOUND = Duration.ofSeconds(60);

    private static LocalCluster cluster;
    private static ScenarioChecks checks;
    private static final List<String> schedule = new ArrayList<>();
    private static long t0;

    enum Fault { NODE_KILL, NODE_FREEZE_THEN_KILL, NODE_FREEZE, COORDINATOR_KILL, POWER_CUT }

    @BeforeAll
    static void up() throws Exception {
        Path data = Files.createTempDirectory("kv-soak-");
        cluster = new LocalCluster(data, Map.of(
                "KV_COORDINATOR_ARGS", "--kv.membership.heartbeat-timeout=" + HEARTBEAT_TIMEOUT.toSeconds()
                        + "s --kv.cache.sets=16 --kv.cache.ways=2",
                "KV_NODE_ARGS", "--kv.wal.fsync=always --kv.participant.decision-timeout=3s",
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        Files.deleteIfExists(PROGRESS);
        Files.createDirectories(PROGRESS.getParent());
        t0 = System.nanoTime();
        log("cluster in %s", data);
        cluster.up(NODES);
        checks = new ScenarioChecks(cluster);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void mixedFaultsUnderLoadLoseNoAcknowledgedWriteAndLeaveEveryKeyOnTwoEqualReplicas() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes"));
        Duration checkEvery = Duration.ofMinutes(Long.getLong("soak.check-minutes", 3));
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        log("seed %d (replay with -Dsoak.seed=%d), %s, a check every %s", seed, seed, length, checkEvery);
        List<String> keys = IntStream.range(0, KEYS).mapToObj(i -> "soak/key-" + i).toList();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextCheck = start + checkEvery.toNanos();
        int stretch = 0;
        History history = new History();
        ClientLoad load = new ClientLoad(cluster, history, keys, "soak-s0", CLIENTS);
        try {
            while (true) {
                sleep(random, 5, 15);
                Fault fault = pick(random);
                inject(fault, random);
                checks.awaitThat("after " + fault + ": every node UP and every range with two live copies",
                        checks::allUpAndFullyReplicated);
                log("recovered");
                boolean last = System.nanoTime() >= end;
                if (last || System.nanoTime() >= nextCheck) {
                    load.close();
                    Map<String, FinalRead> finalState = checkpoint("stretch " + stretch, history, load);
                    stretch++;
                    history = ScenarioChecks.continuing(finalState);
                    List<Duration> times = checks.readAndWriteEveryKey(keys, "soak-s" + stretch, history,
                            System.nanoTime(), WRITABLE_BOUND);
                    log("every key read and written within %d ms", times.stream().max(Duration::compareTo)
                            .orElseThrow().toMillis());
                    if (last) {
                        break;
                    }
                    load = new ClientLoad(cluster, history, keys, "soak-s" + stretch, CLIENTS);
                    nextCheck = System.nanoTime() + checkEvery.toNanos();
                }
            }
        } catch (Throwable failure) {
            System.out.println("SoakIT: FAILED with seed " + seed + " after this schedule:\n  "
                    + String.join("\n  ", schedule));
            throw failure;
        } finally {
            load.close();
        }
        log("done: %d stretches checked, schedule:%n  %s", stretch, String.join("\n  ", schedule));
    }

    private static Map<String, FinalRead> checkpoint(String name, History history, ClientLoad load) throws Exception {
        checks.awaitThat("every node UP and every range with two live copies", checks::allUpAndFullyReplicated);
        log("checking %s: %d operations (%d ok, %d refused, %d unconfirmed)", name, history.size(),
                load.succeeded.get(), load.refused.get(), load.unconfirmed.get());
        assertThat(load.succeeded.get()).as("%s: operations that succeeded", name).isPositive();
        Map<String, FinalRead> finalState = checks.verify(name, history, load);
        log("%s checks out", name);
        return finalState;
    }

    private static Fault pick(Random random) {
        int dice = random.nextInt(100);
        return dice < 30 ? Fault.NODE_KILL : dice < 45 ? Fault.NODE_FREEZE_THEN_KILL : dice < 65 ? Fault.NODE_FREEZE
                : dice < 85 ? Fault.COORDINATOR_KILL : Fault.POWER_CUT;
    }

    private static void inject(Fault fault, Random random) throws Exception {
        String node = "node-" + (1 + random.nextInt(NODES));
        switch (fault) {
            case NODE_KILL -> {
                log("kill -9 %s", node);
                cluster.kill(node);
                awaitDownOrWait(node, random);
                log("start %s", node);
                cluster.start(node);
            }
            case NODE_FREEZE_THEN_KILL -> {
                log("freeze %s, then kill -9 it while frozen", node);
                cluster.pause(node);
                Thread.sleep(3_000);
                cluster.kill(node);
                awaitDownOrWait(node, random);
                log("start %s", node);
                cluster.start(node);
            }
            case NODE_FREEZE -> {
                long seconds = 1 + random.nextInt((int) HEARTBEAT_TIMEOUT.toSeconds() * 2);
                log("freeze %s for %d s", node, seconds);
                cluster.pause(node);
                Thread.sleep(seconds * 1_000);
                log("thaw %s", node);
                cluster.resume(node);
            }
            case COORDINATOR_KILL -> {
                log("kill -9 coordinator");
                cluster.kill("coordinator");
                sleep(random, 0, 2);
                log("start coordinator");
                cluster.start("coordinator");
            }
            case POWER_CUT -> {
                log("power cut (kill -9 everything at once)");
                cluster.killAll();
                sleep(random, 0, 2);
                log("start all");
                cluster.startAll();
            }
        }
    }

    /** Half the time the node stays down until failed over; otherwise it returns after a few seconds. */
    private static void awaitDownOrWait(String node, Random random) throws Exception {
        if (random.nextBoolean()) {
            checks.awaitThat(node + " DOWN and every range with two live copies",
                    () -> checks.stateOf(node).equals("DOWN") && checks.fullyReplicated());
        } else {
            sleep(random, 0, 5);
        }
    }

    private static void sleep(Random random, int minSeconds, int maxSeconds) throws InterruptedException {
        Thread.sleep(1_000L * (minSeconds + random.nextInt(maxSeconds - minSeconds + 1)));
    }

    /** Failsafe keeps a test's output until it ends: this file shows a long run as it goes. */
    private static final Path PROGRESS = Path.of("target", "soak.log");

    private static void log(String format, Object... args) {
        String line = String.format("%5ds %s", Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                String.format(format, args));
        schedule.add(line);
        String stamped = LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " SoakIT: " + line;
        System.out.println(stamped);
        try {
            Files.writeString(PROGRESS, stamped + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("SoakIT: cannot write " + PROGRESS.toAbsolutePath() + ": " + e);
        }
    }
}
