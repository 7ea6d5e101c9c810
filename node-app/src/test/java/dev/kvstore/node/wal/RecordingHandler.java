package dev.kvstore.node.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps what recovery delivered, in order, as strings tagged with the callback that got them. */
final class RecordingHandler implements RecoveryHandler {

    private final List<String> events = new ArrayList<>();

    @Override
    public void snapshotEntry(byte[] payload) {
        events.add("snapshot:" + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void logRecord(byte[] payload) {
        events.add("log:" + new String(payload, StandardCharsets.UTF_8));
    }

    /** Every callback in order, e.g. {@code snapshot:a}, {@code log:b}. */
    List<String> events() {
        return List.copyOf(events);
    }

    /** The payloads of {@code logRecord} calls only, in order. */
    List<String> logRecords() {
        return events.stream().filter(e -> e.startsWith("log:")).map(e -> e.substring(4)).toList();
    }

    List<String> snapshotEntries() {
        return events.stream().filter(e -> e.startsWith("snapshot:")).map(e -> e.substring(9)).toList();
    }
}
