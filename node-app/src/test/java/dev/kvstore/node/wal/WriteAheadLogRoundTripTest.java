package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static dev.kvstore.node.wal.WalFiles.fileNames;
import static dev.kvstore.node.wal.WalFiles.payloads;
import static dev.kvstore.node.wal.WalFiles.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogRoundTripTest {

    private static final WalOptions OPTIONS = new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30);

    @TempDir
    Path dir;

    @Test
    void durablyAppendedRecordsAreDeliveredInOrderAfterCloseAndReopen() throws IOException {
        List<String> written = payloads("rec", 200);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            written.forEach(p -> wal.appendDurably(bytes(p)));
        }

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened reopened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        reopened.log().close();

        assertThat(handler.events()).allMatch(e -> e.startsWith("log:"));
        assertThat(handler.logRecords()).containsExactlyElementsOf(written);
        assertThat(reopened.report().logRecords()).isEqualTo(written.size());
        assertThat(reopened.report().snapshotGeneration()).isZero();
        assertThat(reopened.report().damage()).isEmpty();
    }

    @Test
    void durablyAppendedRecordsSurviveAProcessThatNeverClosedTheLog() throws IOException {
        List<String> written = payloads("unclosed", 50);
        // Like kill -9: the first log is abandoned open, its last batch already handed to the OS.
        WriteAheadLog abandoned = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log();
        written.forEach(p -> abandoned.appendDurably(bytes(p)));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened second = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        try {
            assertThat(handler.logRecords()).containsExactlyElementsOf(written);
            assertThat(second.report().damage()).isEmpty();
            // The second process writes a fresh segment and never touches the first one's file.
            assertThat(Files.exists(segment(dir, 2))).isTrue();
        } finally {
            second.log().close();
            abandoned.close();
        }
    }

    @Test
    void recordsFromSuccessiveSessionsAreDeliveredInOrderAcrossTheirSegments() throws IOException {
        List<String> all = new ArrayList<>();
        for (int session = 0; session < 4; session++) {
            List<String> batch = payloads("session" + session, 10);
            RecordingHandler handler = new RecordingHandler();
            try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler).log()) {
                assertThat(handler.logRecords()).containsExactlyElementsOf(all);
                batch.forEach(p -> wal.appendDurably(bytes(p)));
            }
            all.addAll(batch);
        }
        // One segment per session, numbered from 1.
        assertThat(fileNames(dir)).containsExactly(
                segment(dir, 1).getFileName().toString(), segment(dir, 2).getFileName().toString(),
                segment(dir, 3).getFileName().toString(), segment(dir, 4).getFileName().toString());
    }

    @Test
    void emptyDirectoryOpensCleanlyWithNoRecords() throws IOException {
        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.events()).isEmpty();
        assertThat(opened.report()).isEqualTo(new RecoveryReport(0, 0, 0, java.util.Optional.empty()));
        assertThat(fileNames(dir)).containsExactly(segment(dir, 1).getFileName().toString());
    }

    @Test
    void missingDirectoryIsCreatedAndOpensCleanly() throws IOException {
        Path missing = dir.resolve("not/yet/there");
        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(missing, OPTIONS, Disk.REAL, handler);
        try (WriteAheadLog wal = opened.log()) {
            wal.appendDurably(bytes("works"));
        }

        assertThat(Files.isDirectory(missing)).isTrue();
        assertThat(handler.events()).isEmpty();
        assertThat(opened.report().damage()).isEmpty();
        assertThat(opened.report().logRecords()).isZero();
    }

    @Test
    void segmentsStartWithTheMagicAndTheFormatVersion() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log()) {
            wal.appendDurably(bytes("one"));
        }
        byte[] start = Arrays.copyOf(Files.readAllBytes(segment(dir, 1)), SegmentHeader.SIZE);

        assertThat(HexFormat.of().formatHex(start)).isEqualTo(
                HexFormat.of().formatHex(bytes("KVWALSEG")) + "00000001");
    }

    @Test
    void aSegmentWrittenBeforeHeadersExistedStillReplays() throws IOException {
        ByteBuffer records = ByteBuffer.allocate(64);
        RecordFormat.encode(bytes("old-1"), records);
        RecordFormat.encode(bytes("old-2"), records);
        Files.write(segment(dir, 1), Arrays.copyOf(records.array(), records.position()));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        opened.log().close();

        assertThat(handler.logRecords()).containsExactly("old-1", "old-2");
        assertThat(opened.report().damage()).isEmpty();
    }

    @Test
    void aSegmentOfANewerFormatIsRefusedNotCutAsDamage() throws IOException {
        byte[] newer = ByteBuffer.allocate(SegmentHeader.SIZE).put(bytes("KVWALSEG")).putInt(2).array();
        Files.write(segment(dir, 1), newer);

        assertThatThrownBy(() -> WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 2");
        assertThat(Files.readAllBytes(segment(dir, 1))).as("left as it was").isEqualTo(newer);
    }

    @Test
    void zeroByteSegmentOpensCleanlyWithNoRecordsAndNoDamage() throws IOException {
        Files.createFile(segment(dir, 1));

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.Opened opened = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, handler);
        try (WriteAheadLog wal = opened.log()) {
            wal.appendDurably(bytes("after-empty"));
        }

        assertThat(handler.events()).isEmpty();
        assertThat(opened.report().damage()).isEmpty();
        assertThat(opened.report().logRecords()).isZero();
        assertThat(Files.size(segment(dir, 1))).isZero();
        RecordingHandler again = new RecordingHandler();
        WriteAheadLog.open(dir, OPTIONS, Disk.REAL, again).log().close();
        assertThat(again.logRecords()).containsExactly("after-empty");
    }

    @Test
    void emptyPayloadRoundTripsAndOversizedPayloadIsRejectedWithoutBreakingTheLog() throws IOException {
        WalOptions small = new WalOptions(FsyncPolicy.ALWAYS, 16, 1L << 30);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, small, Disk.REAL, new RecordingHandler()).log()) {
            wal.appendDurably(new byte[0]);
            assertThatThrownBy(() -> wal.append(new byte[17])).isInstanceOf(IllegalArgumentException.class);
            assertThat(wal.isWritable()).isTrue();
            wal.appendDurably(bytes("sixteen-bytes-ok"));
        }

        RecordingHandler handler = new RecordingHandler();
        WriteAheadLog.open(dir, small, Disk.REAL, handler).log().close();
        assertThat(handler.logRecords()).containsExactly("", "sixteen-bytes-ok");
    }

    @Test
    void closedLogRefusesAppends() throws IOException {
        WriteAheadLog wal = WriteAheadLog.open(dir, OPTIONS, Disk.REAL, new RecordingHandler()).log();
        wal.close();

        assertThat(wal.isWritable()).isFalse();
        assertThatThrownBy(() -> wal.append(bytes("late"))).isInstanceOf(WalException.class);
    }
}
