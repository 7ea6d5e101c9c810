package dev.kvstore.node.wal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Recovery on arbitrary bytes, through the real log on real files: it never throws, hands over
 * exactly the records that lie intact before the first damage (an independent reading of the
 * format decides which those are), cuts the damage off, and takes appends afterwards.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs in {@code WalFuzzTestInputs/}; to fuzz, see
 * the README ("Bad input and limits").
 */
class WalFuzzTest {

    /** Small, so that implausible lengths are easy to reach. */
    private static final int MAX_RECORD = 4096;
    private static final WalOptions OPTIONS = new WalOptions(FsyncPolicy.OFF, MAX_RECORD, 1 << 20);
    private static final byte SNAPSHOT_ENTRY = 0;
    private static final byte SNAPSHOT_END = 1;
    /** On tmpfs when there is one: the fsyncs of directories the log does cost nothing there. */
    private static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    private static Level logLevel;

    /** Recovery logs every damage it finds: at fuzzing speed that is most of the time spent. */
    @BeforeAll
    static void quiet() {
        Logger wal = (Logger) LoggerFactory.getLogger(WriteAheadLog.class);
        logLevel = wal.getLevel();
        wal.setLevel(Level.OFF);
    }

    @AfterAll
    static void loud() {
        ((Logger) LoggerFactory.getLogger(WriteAheadLog.class)).setLevel(logLevel);
    }

    /** Keeps the payloads recovery hands over, as bytes. */
    static final class Collected implements RecoveryHandler {
        final List<byte[]> snapshot = new ArrayList<>();
        final List<byte[]> log = new ArrayList<>();

        @Override
        public void snapshotEntry(byte[] payload) {
            snapshot.add(payload.clone());
        }

        @Override
        public void logRecord(byte[] payload) {
            log.add(payload.clone());
        }
    }

    @FuzzTest(maxDuration = "5s")
    void segmentRecoveryHandsOverExactlyTheIntactRecords(FuzzedDataProvider data) throws IOException {
        List<byte[]> written = payloads(data);
        byte[] tail = data.consumeRemainingAsBytes();
        byte[] segment = concat(frames(written), tail);
        List<byte[]> intact = intactFrames(segment, MAX_RECORD).payloads();
        long intactBytes = intactFrames(segment, MAX_RECORD).bytes();

        Path dir = Files.createTempDirectory(SCRATCH, "wal-fuzz-");
        try {
            Files.write(WalFiles.segment(dir, 1), segment);
            Collected recovered = new Collected();
            WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, recovered);

            // The records written whole come back first, byte for byte; after them only records the
            // independent reading also finds intact (a tail can happen to hold well-formed frames).
            assertThat(intact.size()).isGreaterThanOrEqualTo(written.size());
            assertThat(hex(recovered.log)).isEqualTo(hex(intact));
            assertThat(opened.report().logRecords()).isEqualTo(intact.size());
            assertThat(opened.report().damage().isPresent()).isEqualTo(intactBytes < segment.length);
            opened.report().damage().ifPresent(d -> assertThat(d.offset()).isEqualTo(intactBytes));
            assertThat(Files.size(WalFiles.segment(dir, 1))).isEqualTo(intactBytes);

            byte[] after = "appended after recovery".getBytes();
            opened.log().appendDurably(after);
            opened.log().close();
            Collected reopened = new Collected();
            WriteAheadLog.Opened again = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, reopened);
            again.log().close();
            List<byte[]> expected = new ArrayList<>(intact);
            expected.add(after);
            assertThat(hex(reopened.log)).isEqualTo(hex(expected));
            assertThat(again.report().damage()).isEmpty();
        } finally {
            delete(dir);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void snapshotRecoveryLoadsAWholeSnapshotOrNone(FuzzedDataProvider data) throws IOException {
        byte[] snapshot;
        if (data.consumeBoolean()) {
            List<byte[]> entries = payloads(data);
            List<byte[]> tagged = new ArrayList<>();
            entries.forEach(e -> tagged.add(concat(new byte[] {SNAPSHOT_ENTRY}, e)));
            if (data.consumeBoolean()) {
                long count = data.consumeBoolean() ? entries.size() : data.consumeLong();
                tagged.add(concat(new byte[] {SNAPSHOT_END}, ByteBuffer.allocate(8).putLong(count).array()));
            }
            snapshot = concat(frames(tagged), data.consumeBytes(data.consumeInt(0, 64)));
        } else {
            snapshot = data.consumeBytes(data.consumeInt(0, 4096));
        }
        List<byte[]> logged = payloads(data);
        SnapshotOracle oracle = readSnapshot(snapshot);

        Path dir = Files.createTempDirectory(SCRATCH, "snapshot-fuzz-");
        try {
            Files.write(WalFiles.snapshot(dir, 1), snapshot);
            Files.write(WalFiles.segment(dir, 1), frames(logged));
            Collected recovered = new Collected();
            WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, recovered);
            opened.log().close();

            if (oracle.valid()) {
                assertThat(hex(recovered.snapshot)).isEqualTo(hex(oracle.entries()));
                assertThat(opened.report().snapshotGeneration()).isEqualTo(1);
                assertThat(opened.report().damage()).isEmpty();
            } else {
                // Never half a snapshot: an unreadable one is set aside before anything of it is applied.
                assertThat(recovered.snapshot).isEmpty();
                assertThat(opened.report().snapshotGeneration()).isZero();
                assertThat(opened.report().damage()).isPresent();
                assertThat(dir.resolve(WalFiles.snapshot(dir, 1).getFileName() + ".damaged")).exists();
            }
            assertThat(hex(recovered.log)).isEqualTo(hex(logged));
        } finally {
            delete(dir);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void recordReaderAgreesWithTheFormatOnAnyBytes(byte[] bytes) throws IOException {
        RecordFormat.ReadResult result = RecordFormat.read(new ByteArrayInputStream(bytes), MAX_RECORD);

        List<byte[]> intact = intactFrames(bytes, MAX_RECORD).payloads();
        switch (result) {
            case RecordFormat.ReadResult.Record(byte[] payload) -> {
                assertThat(intact).isNotEmpty();
                assertThat(payload).isEqualTo(intact.getFirst());
            }
            case RecordFormat.ReadResult.End end -> assertThat(bytes).isEmpty();
            case RecordFormat.ReadResult.Damaged damaged -> {
                assertThat(intact).isEmpty();
                assertThat(bytes).isNotEmpty();
                assertThat(damaged.reason()).isNotBlank();
            }
        }
    }

    // ---- an independent reading of the format ---------------------------------------------------

    record Intact(List<byte[]> payloads, long bytes) {
    }

    /** The frames from the start that are whole and whose checksum holds, and how many bytes they span. */
    static Intact intactFrames(byte[] bytes, int maxPayload) {
        List<byte[]> payloads = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long offset = 0;
        while (in.remaining() >= 4) {
            int start = in.position();
            int length = in.getInt();
            if (length < 0 || length > maxPayload || in.remaining() < (long) length + 4) {
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            CRC32C crc = new CRC32C();
            crc.update(bytes, start, 4 + length);
            if ((int) crc.getValue() != in.getInt()) {
                break;
            }
            payloads.add(payload);
            offset = in.position();
        }
        return new Intact(payloads, offset);
    }

    record SnapshotOracle(boolean valid, List<byte[]> entries) {
    }

    /** Valid: intact tagged entries up to an end marker that counts them; whatever follows it is ignored. */
    static SnapshotOracle readSnapshot(byte[] bytes) {
        List<byte[]> entries = new ArrayList<>();
        for (byte[] payload : intactFrames(bytes, MAX_RECORD + 1).payloads()) {
            if (payload.length == 0) {
                break;
            }
            if (payload[0] == SNAPSHOT_END) {
                boolean counted = payload.length == 9 && ByteBuffer.wrap(payload, 1, 8).getLong() == entries.size();
                return new SnapshotOracle(counted, counted ? entries : List.of());
            }
            if (payload[0] != SNAPSHOT_ENTRY) {
                break;
            }
            entries.add(Arrays.copyOfRange(payload, 1, payload.length));
        }
        return new SnapshotOracle(false, List.of());
    }

    // ---- inputs ---------------------------------------------------------------------------------

    private static List<byte[]> payloads(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 8);
        List<byte[]> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            payloads.add(data.consumeBytes(data.consumeInt(0, 64)));
        }
        return payloads;
    }

    private static byte[] frames(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            ByteBuffer frame = ByteBuffer.allocate(RecordFormat.framedSize(payload.length));
            RecordFormat.encode(payload, frame);
            out.write(frame.array(), 0, frame.position());
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static List<String> hex(List<byte[]> payloads) {
        return payloads.stream().map(HexFormat.of()::formatHex).toList();
    }
}
