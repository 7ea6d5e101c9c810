package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What of the log can be trusted. For the current segment: the bytes written, and of those the bytes the
 * fsync policy has made durable (an fsync under always and batched, a write under off). After a failure:
 * the segment to cut back to that length before recovery runs again, and the sequence numbers of the
 * records appended but never durable, which stay lost whatever happens next. Guarded by the log's lock.
 */
final class Durability {

    private final FsyncPolicy policy;
    private long written;
    private long trusted;
    private Path failedSegment;
    private long failedTrusted;
    /** {from, to} sequence ranges. */
    private final List<long[]> lost = new ArrayList<>();

    Durability(FsyncPolicy policy) {
        this.policy = policy;
    }

    /** A fresh segment whose header, {@code headerBytes} long, is durable already. */
    void newSegment(long headerBytes) {
        written = headerBytes;
        trusted = headerBytes;
    }

    /** {@code bytes} more reached the segment (and under always were fsynced with them). */
    void wrote(long bytes) {
        written += bytes;
        if (policy != FsyncPolicy.BATCHED) {
            trusted = written;
        }
    }

    /** How much of the segment an fsync starting now covers. */
    long writtenSoFar() {
        return written;
    }

    /** An fsync covering the first {@code upTo} bytes succeeded. */
    void forced(long upTo) {
        trusted = Math.max(trusted, upTo);
    }

    /** The log failed while appending to {@code segment}: remember where to cut it. */
    void failedIn(Path segment) {
        failedSegment = segment;
        failedTrusted = trusted;
    }

    /** Cuts the failed segment back to its trusted length, once; throws when the disk still fails. */
    void cutBack(WalDirectory files) throws IOException {
        if (failedSegment != null) {
            files.truncate(failedSegment, failedTrusted);
            failedSegment = null;
        }
    }

    /** The records {@code from} to {@code to} were appended and never made durable. */
    void lose(long from, long to) {
        if (to >= from) {
            lost.add(new long[] {from, to});
        }
    }

    boolean isLost(long seq) {
        for (long[] range : lost) {
            if (seq >= range[0] && seq <= range[1]) {
                return true;
            }
        }
        return false;
    }
}
