package dev.kvstore.node.wal;

/** Receives what recovery reads, in order: the snapshot's entries first, then the log's records. */
public interface RecoveryHandler {

    void snapshotEntry(byte[] payload);

    void logRecord(byte[] payload);
}
