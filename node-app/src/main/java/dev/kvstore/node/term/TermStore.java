package dev.kvstore.node.term;

import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The highest coordinator leader term this node has seen, kept in {@value #FILE} in the data directory
 * (the number in decimal; no file is term 0). A newer term is written to a temporary file, forced,
 * renamed over the old one and the directory forced, all before {@link #admit} lets its call through.
 *
 * <p>Thread-safe. The common case, a call with the term already held, is one volatile read: no lock, no
 * I/O. Raising the term is serialized, so concurrent calls with different terms leave the highest on
 * disk. Plain Java; files through the log's {@link Disk} seam.
 */
public final class TermStore {

    static final String FILE = "coordinator-term";

    private final Path dir;
    private final Disk disk;
    private volatile long highest;

    private TermStore(Path dir, Disk disk, long highest) {
        this.dir = dir;
        this.disk = disk;
        this.highest = highest;
    }

    /**
     * Reads the term kept in {@code dataDir} (0 when there is none). A leftover temporary file, from a
     * crash while a term was being written, is ignored: that term was never admitted.
     *
     * @throws IOException the file cannot be read or holds no term; the node must not start, as it could
     *                     then accept a deposed leader
     */
    public static TermStore open(Path dataDir, Disk disk) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return new TermStore(dataDir, disk, 0);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            long term = Long.parseLong(text);
            if (term < 0) {
                throw new NumberFormatException("negative");
            }
            return new TermStore(dataDir, disk, term);
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds no coordinator term (\"" + abbreviate(text) + "\"). Write the term of "
                    + "the coordinators' current leader into it (or 0, if a stale leader cannot reach this node) and "
                    + "start again");
        }
    }

    /** The highest term seen so far; 0 before any. */
    public long highest() {
        return highest;
    }

    /** What {@link #admit} decided. */
    public enum Admission {
        /** The term is the highest seen: the call may run. */
        CURRENT,
        /** The term is newer than any seen: it is now kept durably as the highest, and the call may run. */
        RAISED,
        /** The term is older than the highest seen: the call must not run. */
        STALE;

        public boolean admitted() {
            return this != STALE;
        }
    }

    /**
     * Whether a call with {@code term} may run: yes when it is the highest seen, or higher (then it is kept
     * durably first and becomes the highest); no when it is older.
     *
     * @throws UncheckedIOException a newer term could not be kept: the call must not run
     */
    public Admission admit(long term) {
        long seen = highest;
        if (term == seen) {
            return Admission.CURRENT;
        }
        if (term < seen) {
            return Admission.STALE;   // the highest only ever rises, so this term stays stale
        }
        synchronized (this) {
            if (term < highest) {
                return Admission.STALE;
            }
            if (term == highest) {
                return Admission.CURRENT;
            }
            keep(term);
            highest = term;
            return Admission.RAISED;
        }
    }

    private void keep(long term) {
        try {
            disk.replace(dir.resolve(FILE), term + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep coordinator term " + term + " in " + dir.resolve(FILE), e);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
