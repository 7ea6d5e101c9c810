package dev.kvstore.node.wal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link WriteAheadLog#open} found on disk.
 *
 * @param snapshotGeneration the generation of the snapshot loaded, or 0 when none was
 * @param snapshotEntries    entries handed over from that snapshot
 * @param logRecords         log records replayed after it
 * @param damage             where replay stopped early, if it did
 */
public record RecoveryReport(long snapshotGeneration, long snapshotEntries, long logRecords,
                             Optional<Damage> damage) {

    /**
     * A torn or corrupt record: {@code file} was truncated at {@code offset}, and everything after it
     * (later segments, unreadable snapshots) was renamed aside with a {@code .damaged} suffix.
     */
    public record Damage(Path file, long offset, String reason, List<Path> setAside) {
    }
}
