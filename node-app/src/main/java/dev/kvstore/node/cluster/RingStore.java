package dev.kvstore.node.cluster;

import dev.kvstore.model.RingView;
import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last ring the coordinator published to this node, kept in the data directory (epoch on the
 * first line, one member per line after it) so that a restarted coordinator can rebuild the ring
 * from the nodes, members that are down included. Replaced durably ({@link Disk#replace}): a ring
 * this node acknowledged is the one it has after a power cut.
 */
public final class RingStore {

    private static final Logger log = LoggerFactory.getLogger(RingStore.class);
    static final String FILE = "ring";

    private final Path file;
    private final Disk disk;
    private volatile RingView current;

    public RingStore(Path dataDir) {
        this(dataDir, Disk.REAL);
    }

    /** @param disk the file seam, for tests that check what is forced */
    RingStore(Path dataDir, Disk disk) {
        this.file = dataDir.resolve(FILE);
        this.disk = disk;
        this.current = load(file);
    }

    /** The last ring kept, or null when none has been published to this node. */
    public RingView current() {
        return current;
    }

    /** Keeps {@code ring} durably unless a ring of the same or a later epoch is kept already. */
    public synchronized boolean update(RingView ring) {
        RingView kept = current;
        if (kept != null && kept.epoch() >= ring.epoch()) {
            return false;
        }
        StringBuilder text = new StringBuilder().append(ring.epoch()).append('\n');
        ring.nodes().forEach(node -> text.append(node).append('\n'));
        try {
            disk.replace(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the ring in " + file, e);
        }
        current = ring;
        return true;
    }

    private static RingView load(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            long epoch = Long.parseLong(lines.removeFirst().strip());
            return new RingView(epoch, lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring an unreadable ring file {}: {}", file, e.toString());
            return null;
        }
    }
}
