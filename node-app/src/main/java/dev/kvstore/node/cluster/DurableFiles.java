package dev.kvstore.node.cluster;

import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Small files replaced whole and durably: written to a temporary sibling, forced, renamed over the old
 * one, and the directory forced, so that after a power cut the file holds the old content or the new,
 * never neither, and a replacement that returned is not undone.
 */
final class DurableFiles {

    private DurableFiles() {
    }

    static void replace(Disk disk, Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = disk.open(tmp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        // Without this the rename may still be only in memory: a power cut would bring the old file back.
        disk.syncDirectory(file.toAbsolutePath().getParent());
    }
}
