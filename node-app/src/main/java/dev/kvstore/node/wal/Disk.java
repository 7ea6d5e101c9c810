package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The seam between the log and the file system: every channel the log reads, writes or forces is
 * opened here, so tests can count fsyncs or fail a write without touching the log's logic.
 */
@FunctionalInterface
public interface Disk {

    /** Real files through {@link FileChannel#open}. */
    Disk REAL = (path, options) -> FileChannel.open(path, options);

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;

    /** Makes a directory entry (a created, renamed or deleted file) durable. */
    default void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = open(dir, Set.of(StandardOpenOption.READ))) {
            channel.force(true);
        }
    }
}
