package dev.kvstore.bench;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.snapshot.Snapshots;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * How much heap a storage node needs for N keys (default 1,000,000) of 100-byte {@code text/plain}
 * values in its {@code own} table: a real {@link Participant} over a real write-ahead log in a temporary
 * directory (fsync {@code always}, the node's default; {@code --fsync batched|off} to change), filled
 * through the node's write path, {@code prepare} then {@code commit} per key (keys {@code k0000000} ..,
 * one transaction each, random UUID transaction ids: canonical UUIDs, as the coordinator's are), 256 at a time on virtual
 * threads. Every value, key, content type and transaction id is a fresh object, as when each request is
 * decoded from JSON. A background task takes snapshots when due, as the node's scheduler does.
 *
 * <p>Then it measures the heap after full GCs twice: right after the fill, while the participant still
 * remembers every transaction's outcome (kept {@code kv.participant.outcome-retention}, 10 minutes,
 * for retries and peers' questions), and after {@link Participant#pruneOutcomes()} with the clock
 * moved past the retention, the steady state of a node that holds the keys. {@code --histogram} adds
 * the top of a class histogram (the {@code GC.class_histogram} diagnostic command) at both points.
 *
 * <pre>
 * java -Xmx400m -cp bench/target/benchmarks.jar dev.kvstore.bench.NodeFootprint [N] [--fsync P] [--histogram]
 * </pre>
 */
public final class NodeFootprint {

    private static final int VALUE_BYTES = 100;
    private static final int IN_FLIGHT = 256;
    private static final Duration OUTCOME_RETENTION = Duration.ofMinutes(10);
    private static final byte[] CONTENT_TYPE = "text/plain".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> PEERS = List.of("http://127.0.0.1:1");
    private static final int HISTOGRAM_LINES = 12;
    /** Heap sizes in MiB, the unit of {@code -Xmx400m}. */
    private static final double MIB = 1 << 20;

    private NodeFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        FsyncPolicy fsync = FsyncPolicy.ALWAYS;
        boolean histogram = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fsync" -> fsync = FsyncPolicy.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--histogram" -> histogram = true;
                default -> keys = Integer.parseInt(args[i].replace("_", "").replace(",", ""));
            }
        }
        System.out.printf("JVM %s, max heap %d MiB, GC %s%n", Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, collectors());

        Path dir = Files.createTempDirectory("node-footprint-");
        SettableClock clock = new SettableClock();
        ParticipantOptions options = new ParticipantOptions(Duration.ofSeconds(5), OUTCOME_RETENTION, 1 << 20);
        WalOptions wal = new WalOptions(fsync, WalOptions.defaults().maxRecordBytes(),
                WalOptions.defaults().snapshotAfterBytes());
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("snapshots").factory());
        AtomicInteger snapshots = new AtomicInteger();
        Replica replica = Replica.open("node-footprint", dir, wal, Disk.REAL, clock);
        try (WriteAheadLog log = replica.log()) {
            Participant participant = new Participant(replica, log, options, clock);
            Snapshots snapshotter = new Snapshots(replica, log, clock, options.tombstoneRetention());
            timers.scheduleWithFixedDelay(() -> {
                try {
                    if (snapshotter.snapshotIfDue()) {
                        snapshots.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 1, 1, TimeUnit.SECONDS);

            long start = System.nanoTime();
            fill(participant, keys);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("filled %,d keys through prepare + commit (fsync %s) in %.1f s, %,.0f keys/s; "
                            + "%d snapshots taken meanwhile%n", replica.tables().size(Table.OWN),
                    fsync.name().toLowerCase(Locale.ROOT), seconds, keys / seconds, snapshots.get());
            timers.shutdown();
            timers.awaitTermination(1, TimeUnit.MINUTES);

            report("after the fill (every outcome still remembered)", keys, dir, histogram);
            clock.advance(OUTCOME_RETENTION.plusSeconds(1));
            int pruned = participant.pruneOutcomes();
            System.out.printf("%npruneOutcomes() with the clock moved %s on: %,d outcomes forgotten%n",
                    OUTCOME_RETENTION.plusSeconds(1), pruned);
            report("after the outcomes are pruned (the node holding its keys)", keys, dir, histogram);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** One transaction per key, as the coordinator sends them, {@value #IN_FLIGHT} at a time. */
    private static void fill(Participant participant, int keys) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < keys && failure.get() == null; i++) {
                inFlight.acquire();
                int n = i;
                threads.execute(() -> {
                    try {
                        write(participant, n);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a write failed", failure.get());
        }
    }

    private static void write(Participant participant, int n) {
        byte[] value = new byte[VALUE_BYTES];
        new Random(n).nextBytes(value);
        String txId = UUID.randomUUID().toString();
        PrepareRequest request = new PrepareRequest("k%07d".formatted(n), Table.OWN, WriteOp.PUT, value,
                new String(CONTENT_TYPE, StandardCharsets.US_ASCII), null, PEERS);
        Vote vote = participant.prepare(txId, request);
        if (!vote.yes()) {
            throw new IllegalStateException("prepare of " + request.key() + " voted no: " + vote);
        }
        participant.commit(txId, 1);
    }

    private static void report(String when, int keys, Path dir, boolean histogram) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && collected != null) {
                afterGc += collected.getUsed();
            }
        }
        System.out.printf("%n%s:%n", when);
        System.out.printf("  heap used after GC (MemoryMXBean):         %6.1f MiB, %5.0f bytes/key%n",
                used / MIB, (double) used / keys);
        System.out.printf("  heap pools after their last GC (sum):      %6.1f MiB, %5.0f bytes/key%n",
                afterGc / MIB, (double) afterGc / keys);
        System.out.printf("  write-ahead log on disk:                   %6.1f MiB in %s%n", size(dir) / MIB, files(dir));
        if (histogram) {
            String[] lines = ((String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()})).split("\n");
            System.out.println("  class histogram (GC.class_histogram), top lines:");
            for (int i = 0; i < Math.min(lines.length, HISTOGRAM_LINES + 2); i++) {
                System.out.println("    " + lines[i]);
            }
            System.out.println("    " + lines[lines.length - 1].strip());
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(p -> p.getFileName() + " " + Math.round(p.toFile().length() / MIB) + " MiB")
                    .toList()
                    .toString();
        }
    }

    private static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .toList().toString();
    }

    /** The participant's clock: the real time plus however far it was moved on. */
    private static final class SettableClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        void advance(Duration by) {
            ahead = ahead.plus(by);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
