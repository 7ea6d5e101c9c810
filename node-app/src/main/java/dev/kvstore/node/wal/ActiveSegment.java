package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The segment appends go to: its file and generation, and what of it the fsync policy has made durable
 * ({@link Durability}). Creating, writing, fsyncing, rolling and cutting back the segment happen here;
 * when, and under which lock, is {@link WriteAheadLog}'s to decide. Guarded by the log's lock, except
 * {@link #writeOut} and {@link Force#run}, which run outside it on the channel taken under it, so
 * appends are not held up by the disk.
 */
final class ActiveSegment {

    private final WalDirectory files;
    private final FsyncPolicy policy;
    private final Durability durability;
    private FileChannel channel;
    private long generation;
    private long writes;
    private long fsyncs;
    private long bytes;

    ActiveSegment(WalDirectory files, FsyncPolicy policy) {
        this.files = files;
        this.policy = policy;
        this.durability = new Durability(policy);
    }

    /** Creates the segment of {@code generation}, its header durable; appends go there from now on. */
    void open(long generation) throws IOException {
        channel = files.createSegment(generation);
        this.generation = generation;
        durability.newSegment(SegmentHeader.SIZE);
    }

    long generation() {
        return generation;
    }

    /** The file, for a write outside the lock; a roll closes it meanwhile. */
    FileChannel channel() {
        return channel;
    }

    /**
     * Writes a flipped batch whole to {@code channel} and, under {@code fsync=always}, forces it. Runs
     * outside the lock.
     *
     * @return how long the fsync took in nanoseconds, or -1 when there was none
     */
    static long writeOut(FileChannel channel, ByteBuffer out, FsyncPolicy policy) throws IOException {
        while (out.hasRemaining()) {
            channel.write(out);
        }
        if (policy != FsyncPolicy.ALWAYS) {
            return -1;
        }
        long start = System.nanoTime();
        channel.force(false);
        return System.nanoTime() - start;
    }

    /** A {@link #writeOut} of {@code bytes} ended, {@code ok} or failed. */
    void wrote(long bytes, boolean ok) {
        writes++;
        if (ok) {
            if (policy == FsyncPolicy.ALWAYS) {
                fsyncs++;
            }
            this.bytes += bytes;
            durability.wrote(bytes);
        }
    }

    /** A force of what is written so far: taken under the lock, run outside it. */
    record Force(FileChannel channel, long generation, long upTo) {

        /** @return how long the fsync took, in nanoseconds */
        long run() throws IOException {
            long start = System.nanoTime();
            channel.force(false);
            return System.nanoTime() - start;
        }
    }

    Force force() {
        return new Force(channel, generation, durability.writtenSoFar());
    }

    /** {@code force} succeeded; what it covered is durable unless the segment rolled meanwhile. */
    void forced(Force force) {
        fsyncs++;
        if (force.generation() == generation) {
            durability.forced(force.upTo());
        }
    }

    /**
     * Forces everything written so far, unless fsync is off: before a roll.
     *
     * @return how long the fsync took in nanoseconds, or -1 when there was none
     */
    long forceWritten() throws IOException {
        if (policy == FsyncPolicy.OFF) {
            return -1;
        }
        long start = System.nanoTime();
        channel.force(false);
        fsyncs++;
        durability.forced(durability.writtenSoFar());
        return System.nanoTime() - start;
    }

    /** Closes the segment and opens the next; appends go there from now on. */
    void next() throws IOException {
        channel.close();
        open(generation + 1);
    }

    /** The log failed while appending here: remembers where to cut the segment back to. */
    void failed() {
        durability.failedIn(files.segment(generation));
    }

    /** Whether the record {@code seq} was appended and lost in a failure, never to be durable. */
    boolean isLost(long seq) {
        return durability.isLost(seq);
    }

    /**
     * After a failure: closes the segment and cuts it back to what was durable; the records {@code lostFrom}
     * to {@code lostTo} stay lost. Throws when the disk still fails.
     */
    void cutBack(long lostFrom, long lostTo) throws IOException {
        try {
            channel.close();
        } catch (IOException ignored) {
            // It failed already; its bytes past the trusted length are cut below.
        }
        durability.cutBack(files);
        durability.lose(lostFrom, lostTo);
    }

    /** The log's counters, with these two kept by the log. */
    WalStats stats(long appends, long largestBatch) {
        return new WalStats(appends, writes, fsyncs, largestBatch, bytes);
    }
}
