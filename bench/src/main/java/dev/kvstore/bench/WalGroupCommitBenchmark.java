package dev.kvstore.bench;

import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.RecoveryHandler;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WalStats;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends per second to the write-ahead log with {@link FsyncPolicy#ALWAYS} on the real
 * disk: one writer (every append pays a whole fsync, the disk's serial fsync rate) against 64
 * concurrent writers sharing fsyncs through group commit. The average batch (appends per fsync) is
 * printed after every iteration and for the whole trial.
 *
 * <p>The log lives in a fresh directory under {@code java.io.tmpdir} (override with
 * {@code -Djava.io.tmpdir=...} to measure another disk), deleted at the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class WalGroupCommitBenchmark {

    /** About the size of a PREPARE record carrying a 100-byte value. */
    private static final int PAYLOAD_BYTES = 150;

    private static final RecoveryHandler IGNORE = new RecoveryHandler() {
        @Override
        public void snapshotEntry(byte[] payload) {
        }

        @Override
        public void logRecord(byte[] payload) {
        }
    };

    private Path dir;
    private WriteAheadLog wal;
    private byte[] payload;
    private WalStats iterationStart;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("wal-group-commit-");
        WalOptions options = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, Long.MAX_VALUE);
        wal = WriteAheadLog.open(dir, options, Disk.REAL, IGNORE).log();
        payload = new byte[PAYLOAD_BYTES];
        new Random(42).nextBytes(payload);
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        iterationStart = wal.stats();
    }

    @TearDown(Level.Iteration)
    public void reportIteration() {
        WalStats now = wal.stats();
        long appends = now.appends() - iterationStart.appends();
        long fsyncs = now.fsyncs() - iterationStart.fsyncs();
        System.out.printf("%n  [wal] this iteration: %d appends, %d fsyncs, average batch %.1f appends/fsync%n",
                appends, fsyncs, fsyncs == 0 ? 0.0 : (double) appends / fsyncs);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        WalStats stats = wal.stats();
        System.out.printf("%n  [wal] trial (warmup included): %d appends, %d fsyncs, average batch %.1f "
                        + "appends/fsync, largest batch %d, log in %s%n",
                stats.appends(), stats.fsyncs(),
                stats.fsyncs() == 0 ? 0.0 : (double) stats.appends() / stats.fsyncs(),
                stats.largestBatch(), dir);
        wal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(64)
    public void appendDurably64Threads() {
        wal.appendDurably(payload);
    }

    @Benchmark
    @Threads(1)
    public void appendDurably1Thread() {
        wal.appendDurably(payload);
    }
}
