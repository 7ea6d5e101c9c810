package dev.kvstore.node.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The seam between the node and the file system for what must survive a power cut: every channel the
 * log reads, writes or forces is opened here, and the small files replaced whole (the coordinator term,
 * the ring, the node's id and token) go through {@link #replace}, so tests can count fsyncs or fail a
 * write without touching the callers' logic.
 */
@FunctionalInterface
public interface Disk {

    /** Real files through {@link FileChannel#open}. */
    Disk REAL = (path, options) -> FileChannel.open(path, options);

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;

    /**
     * Replaces a small file whole and durably: written to {@code <name>.tmp}, forced, renamed over the old
     * one and the directory forced, so after a power cut it holds the old content or the new, and a
     * replacement that returned is never undone.
     */
    default void replace(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = open(temporary, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes a directory entry (a created, renamed or deleted file) durable. */
    default void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = open(dir, Set.of(StandardOpenOption.READ))) {
            channel.force(true);
        }
    }
}
