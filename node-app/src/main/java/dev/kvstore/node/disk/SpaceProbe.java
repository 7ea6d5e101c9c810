package dev.kvstore.node.disk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a file system's size and free space: the seam tests replace. */
public interface SpaceProbe {

    /** What the file system holding the data has now. */
    record Space(long totalBytes, long usableBytes) {
    }

    Space read() throws IOException;

    /** The file system that holds {@code dir}. */
    static SpaceProbe of(Path dir) {
        return () -> {
            FileStore store = Files.getFileStore(dir);
            return new Space(store.getTotalSpace(), store.getUsableSpace());
        };
    }
}
