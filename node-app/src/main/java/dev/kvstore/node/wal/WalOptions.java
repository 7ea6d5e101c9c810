package dev.kvstore.node.wal;

/**
 * @param fsync             when a record counts as durable
 * @param maxRecordBytes    the largest payload accepted; a length field above it marks damage
 * @param snapshotAfterBytes log bytes written since the last snapshot after which
 *                          {@link WriteAheadLog#snapshotDue()} says a new one is due
 */
public record WalOptions(FsyncPolicy fsync, int maxRecordBytes, long snapshotAfterBytes) {

    public WalOptions {
        if (fsync == null) {
            throw new IllegalArgumentException("fsync policy is required");
        }
        if (maxRecordBytes <= 0 || snapshotAfterBytes <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    public static WalOptions defaults() {
        return new WalOptions(FsyncPolicy.ALWAYS, 16 * 1024 * 1024, 64L * 1024 * 1024);
    }
}
