package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Real files, with every fsync counted by the kind of file it hits, and two faults a test can arm:
 * a gate that holds log-segment fsyncs until released, and an error thrown by them.
 */
final class CountingDisk implements Disk {

    private static final Pattern SEGMENT = Pattern.compile("wal-\\d{20}\\.log");

    private final AtomicInteger segmentForces = new AtomicInteger();
    private final AtomicInteger otherForces = new AtomicInteger();
    private volatile Gate gate;
    private volatile IOException segmentForceFailure;
    private volatile IOException segmentWriteFailure;

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        boolean segment = SEGMENT.matcher(path.getFileName().toString()).matches();
        return new DelegatingFileChannel(FileChannel.open(path, options)) {
            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                IOException failure = segmentWriteFailure;
                if (segment && failure != null) {
                    // A full disk takes part of a write, then refuses the rest.
                    java.nio.ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
                    int written = super.write(half);
                    src.position(src.position() + written);
                    throw failure;
                }
                return super.write(src);
            }

            @Override
            public void force(boolean metaData) throws IOException {
                if (!segment) {
                    otherForces.incrementAndGet();
                    super.force(metaData);
                    return;
                }
                segmentForces.incrementAndGet();
                Gate held = gate;
                if (held != null) {
                    held.pass();
                }
                IOException failure = segmentForceFailure;
                if (failure != null) {
                    throw failure;
                }
                super.force(metaData);
            }
        };
    }

    /** Fsyncs attempted on log segment files ({@code wal-*.log}), including failed ones. */
    int segmentForces() {
        return segmentForces.get();
    }

    /** Fsyncs of anything else: snapshots and directories. */
    int otherForces() {
        return otherForces.get();
    }

    /** From now on every segment fsync waits until the returned gate is released. */
    Gate holdSegmentForces() {
        Gate held = new Gate();
        gate = held;
        return held;
    }

    /** From now on every segment fsync throws {@code failure} (null: they succeed again). */
    void failSegmentForces(IOException failure) {
        segmentForceFailure = failure;
    }

    /**
     * From now on every segment write writes half its bytes and throws {@code failure}, as a disk that fills
     * up does (null: writes succeed again).
     */
    void failSegmentWrites(IOException failure) {
        segmentWriteFailure = failure;
    }

    static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private void pass() throws IOException {
            entered.countDown();
            try {
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("test gate was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the test gate", e);
            }
        }

        /** Waits until some thread is held inside a segment fsync. */
        void awaitHeld() throws InterruptedException {
            if (!entered.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no segment fsync reached the gate");
            }
        }

        void release() {
            released.countDown();
        }
    }
}
