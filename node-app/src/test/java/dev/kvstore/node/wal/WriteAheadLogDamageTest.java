package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static dev.kvstore.node.wal.WalFiles.chopEnd;
import static dev.kvstore.node.wal.WalFiles.flipByte;
import static dev.kvstore.node.wal.WalFiles.offsetOf;
import static dev.kvstore.node.wal.WalFiles.payloads;
import static dev.kvstore.node.wal.WalFiles.segment;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteAheadLogDamageTest {

    private static final WalOptions OPTIONS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;

    private void writeSession(List<String> records) throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            records.forEach(p -> wal.appendDurably(bytes(p)));
        }
    }

    @Test
    void tornLastRecordIsCutOffAndEarlierRecordsSurvive() throws IOException {
        List<String> written = payloads("rec", 20);
        writeSession(written);
        Path file = segment(dir, 1);
        chopEnd(file, 3);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        long lastRecordStart = offsetOf(written, written.size() - 1);

        assertThat(handler.logRecords()).containsExactlyElementsOf(written.subList(0, written.size() - 1));
        assertThat(opened.report().logRecords()).isEqualTo(written.size() - 1);
        assertThat(opened.report().damage()).hasValueSatisfying(damage -> {
            assertThat(damage.file()).isEqualTo(file);
            assertThat(damage.offset()).isEqualTo(lastRecordStart);
            assertThat(damage.reason()).contains("torn");
            assertThat(damage.setAside()).isEmpty();
        });
        assertThat(Files.size(file)).isEqualTo(lastRecordStart);

        // The repaired log takes new records, and the next recovery is clean and has them all.
        try (WriteAheadLog wal = opened.log()) {
            wal.appendDurably(bytes("after-repair-1"));
            wal.appendDurably(bytes("after-repair-2"));
        }
        RecordingHandler again = new RecordingHandler();
        WriteAheadLog.Opened reopened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, again);
        reopened.log().close();
        List<String> expected = new ArrayList<>(written.subList(0, written.size() - 1));
        expected.addAll(List.of("after-repair-1", "after-repair-2"));
        assertThat(again.logRecords()).containsExactlyElementsOf(expected);
        assertThat(reopened.report().damage()).isEmpty();
    }

    @Test
    void recordTornInsideItsLengthFieldIsCutOff() throws IOException {
        writeSession(List.of("kept"));
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            wal.appendDurably(bytes("lost"));
        }
        // Segment 2 holds one framed record "lost" of 12 bytes; leave only 2 bytes of its length.
        chopEnd(segment(dir, 2), RecordFormat.framedSize(4) - 2);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.logRecords()).containsExactly("kept");
        assertThat(opened.report().damage()).hasValueSatisfying(damage -> {
            assertThat(damage.file()).isEqualTo(segment(dir, 2));
            assertThat(damage.offset()).as("right after the header").isEqualTo(SegmentHeader.SIZE);
        });
        assertThat(Files.size(segment(dir, 2))).isEqualTo(SegmentHeader.SIZE);
    }

    /** Where in record k the byte is flipped: a negative position counts from the record's end. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "length field high byte, 0",
            "length field low byte, 3",
            "first payload byte, 4",
            "middle of payload, 8",
            "last checksum byte, -1",
    })
    void flippedByteInsideRecordStopsReplayExactlyBeforeThatRecord(String where, int positionInRecord)
            throws IOException {
        List<String> written = payloads("rec", 100);
        int k = 37;
        writeSession(written);
        Path file = segment(dir, 1);
        long start = offsetOf(written, k);
        long end = offsetOf(written, k + 1);
        flipByte(file, positionInRecord >= 0 ? start + positionInRecord : end + positionInRecord);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.logRecords()).containsExactlyElementsOf(written.subList(0, k));
        assertThat(opened.report().logRecords()).isEqualTo(k);
        assertThat(opened.report().damage()).hasValueSatisfying(damage -> {
            assertThat(damage.file()).isEqualTo(file);
            assertThat(damage.offset()).isEqualTo(start);
        });
        assertThat(Files.size(file)).isEqualTo(start);
    }

    @Test
    void damageInFirstSegmentSetsTheLaterSegmentAsideAndAppliesNoneOfIt() throws IOException {
        List<String> first = payloads("first", 30);
        List<String> second = payloads("second", 30);
        writeSession(first);
        writeSession(second);
        int k = 12;
        flipByte(segment(dir, 1), offsetOf(first, k) + 5);

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        Path aside = dir.resolve(segment(dir, 2).getFileName() + ".damaged");

        assertThat(handler.logRecords()).containsExactlyElementsOf(first.subList(0, k));
        assertThat(handler.logRecords()).noneMatch(r -> r.startsWith("second"));
        assertThat(opened.report().damage()).hasValueSatisfying(damage -> {
            assertThat(damage.file()).isEqualTo(segment(dir, 1));
            assertThat(damage.offset()).isEqualTo(offsetOf(first, k));
            assertThat(damage.reason()).contains("checksum");
            assertThat(damage.setAside()).containsExactly(aside);
        });
        assertThat(aside).exists();
        assertThat(Files.size(aside)).isEqualTo(offsetOf(second, second.size()));

        // The log carries on in a fresh segment 2; the set-aside one is never replayed again.
        try (WriteAheadLog wal = opened.log()) {
            wal.appendDurably(bytes("carried-on"));
        }
        RecordingHandler again = new RecordingHandler();
        WriteAheadLog.Opened reopened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, again);
        reopened.log().close();
        List<String> expected = new ArrayList<>(first.subList(0, k));
        expected.add("carried-on");
        assertThat(again.logRecords()).containsExactlyElementsOf(expected);
        assertThat(reopened.report().damage()).isEmpty();
        assertThat(aside).exists();
    }

    @Test
    void missingMiddleSegmentStopsReplayAndSetsTheLaterOnesAside() throws IOException {
        writeSession(List.of("one"));
        writeSession(List.of("two"));
        writeSession(List.of("three"));
        Files.delete(segment(dir, 2));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.logRecords()).containsExactly("one");
        assertThat(opened.report().damage()).isPresent();
        assertThat(dir.resolve(segment(dir, 3).getFileName() + ".damaged")).exists();
    }
}
