package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogGroupCommitTest {

    private static final WalOptions ALWAYS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);
    private static final int THREADS = 64;

    @TempDir
    Path dir;

    @Test
    void appendsQueuedBehindAHeldFsyncAreAllCoveredByTheNextSingleFsync() throws Exception {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        CountingDisk.Gate gate = disk.holdSegmentForces();

        List<Future<?>> queued = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = executor.submit(() -> wal.appendDurably(bytes("first")));
            gate.awaitHeld();
            for (int i = 0; i < THREADS - 1; i++) {
                String payload = "queued-" + i;
                queued.add(executor.submit(() -> wal.appendDurably(bytes(payload))));
            }
            awaitAppends(wal, THREADS);

            // Everyone is waiting: the leader inside the one fsync, the rest behind it.
            assertThat(disk.segmentForces()).isEqualTo(1);
            assertThat(first).isNotDone();
            assertThat(queued).noneMatch(Future::isDone);

            gate.release();
            first.get(30, TimeUnit.SECONDS);
            for (Future<?> f : queued) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        // The 63 queued appends were written in one batch and made durable by exactly one more fsync.
        assertThat(disk.segmentForces()).isEqualTo(2);
        WalStats stats = wal.stats();
        assertThat(stats.appends()).isEqualTo(THREADS);
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.fsyncs()).isEqualTo(2);
        assertThat(stats.largestBatch()).isEqualTo(THREADS - 1);
        wal.close();

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, ALWAYS, Disk.REAL, handler).log().close();
        assertThat(handler.logRecords()).hasSize(THREADS).first().isEqualTo("first");
        assertThat(handler.logRecords().subList(1, THREADS))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, THREADS - 1).mapToObj(i -> "queued-" + i).toList());
    }

    @Test
    void aRecordNobodyWaitsForRidesOnTheNextGroupCommitWithoutAnFsyncOfItsOwn() throws Exception {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();

        wal.syncSoon(wal.append(bytes("commit")));
        wal.appendDurably(bytes("prepare"));
        Awaitility.await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
                .until(() -> wal.stats().writes() >= 1);

        assertThat(wal.stats().fsyncs()).as("the prepare's fsync carried the commit").isOne();
        wal.close();
        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, ALWAYS, Disk.REAL, handler).log().close();
        assertThat(handler.logRecords()).containsExactly("commit", "prepare");
    }

    @Test
    void aRecordNobodyWaitsForIsMadeDurableByItselfWhenNoGroupCommitComes() throws Exception {
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();

        wal.syncSoon(wal.append(bytes("commit")));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> wal.stats().fsyncs() == 1);
        // A crash now: the log is not closed, yet the record is on disk.
        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, ALWAYS, Disk.REAL, handler).log().close();
        assertThat(handler.logRecords()).containsExactly("commit");
        wal.close();
    }

    @Test
    void sixtyFourConcurrentWritersAreAllRecoveredWithFewerFsyncsThanAppends() throws Exception {
        int perThread = 100;
        CountingDisk disk = new CountingDisk();
        WriteAheadLog wal = WriteAheadLog.open(dir, ALWAYS, disk, new RecordingHandler()).log();
        // Hold the first fsync until every writer has its first record queued, so at least one batch
        // provably carries many records however the scheduler runs the threads.
        CountingDisk.Gate gate = disk.holdSegmentForces();
        CyclicBarrier start = new CyclicBarrier(THREADS);

        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(executor.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        wal.appendDurably(bytes(thread + ":" + i));
                    }
                    return null;
                }));
            }
            gate.awaitHeld();
            awaitAppends(wal, THREADS);
            gate.release();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        }

        WalStats stats = wal.stats();
        int appends = THREADS * perThread;
        assertThat(stats.appends()).isEqualTo(appends);
        assertThat(stats.fsyncs()).isLessThan(appends);
        // The 64 first records went out in two batches (the held one and the next), so one had half.
        assertThat(stats.largestBatch()).isGreaterThanOrEqualTo(THREADS / 2);
        // The wrapper saw exactly the fsyncs the log counted, one per written batch.
        assertThat(disk.segmentForces()).isEqualTo(stats.fsyncs()).isEqualTo((int) stats.writes());
        wal.close();

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, ALWAYS, Disk.REAL, handler).log().close();
        List<String> recovered = handler.logRecords();
        assertThat(recovered).hasSize(appends).doesNotHaveDuplicates();
        // Each writer waited for record i before appending i + 1, so each one's records are in order.
        var byThread = recovered.stream().collect(Collectors.groupingBy(
                r -> Integer.parseInt(r.substring(0, r.indexOf(':'))),
                Collectors.mapping(r -> Integer.parseInt(r.substring(r.indexOf(':') + 1)), Collectors.toList())));
        assertThat(byThread).hasSize(THREADS);
        byThread.values().forEach(sequence -> assertThat(sequence)
                .hasSize(perThread)
                .isSortedAccordingTo(Comparator.naturalOrder()));
    }

    /** Spins (no sleeping) until the log has taken {@code count} appends. */
    static void awaitAppends(WriteAheadLog wal, long count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (wal.stats().appends() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + wal.stats().appends() + " of " + count + " appends arrived");
            }
            Thread.yield();
        }
    }
}
