package dev.kvstore.node.wal;

import static dev.kvstore.node.wal.WalFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

    private static byte[] framed(byte[]... payloads) {
        int size = Arrays.stream(payloads).mapToInt(p -> RecordFormat.framedSize(p.length)).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] p : payloads) {
            RecordFormat.encode(p, out);
        }
        return out.array();
    }

    @Test
    void encodedRecordsReadBackInOrderAndThenAsACleanEnd() throws IOException {
        var in = new ByteArrayInputStream(framed(bytes("alpha"), new byte[0], bytes("gamma")));

        assertThat(RecordFormat.read(in, 100)).isInstanceOfSatisfying(RecordFormat.ReadResult.Record.class,
                r -> assertThat(r.payload()).isEqualTo(bytes("alpha")));
        assertThat(RecordFormat.read(in, 100)).isInstanceOfSatisfying(RecordFormat.ReadResult.Record.class,
                r -> assertThat(r.payload()).isEmpty());
        assertThat(RecordFormat.read(in, 100)).isInstanceOfSatisfying(RecordFormat.ReadResult.Record.class,
                r -> assertThat(r.payload()).isEqualTo(bytes("gamma")));
        assertThat(RecordFormat.read(in, 100)).isInstanceOf(RecordFormat.ReadResult.End.class);
    }

    @Test
    void frameIsBigEndianLengthPayloadThenChecksumOverLengthAndPayload() {
        byte[] record = framed(bytes("abc"));

        assertThat(record).hasSize(3 + RecordFormat.OVERHEAD);
        assertThat(ByteBuffer.wrap(record).getInt()).isEqualTo(3);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(record, 0, 7);
        assertThat(ByteBuffer.wrap(record, 7, 4).getInt()).isEqualTo((int) crc.getValue());
    }

    @Test
    void everyTruncationOfARecordIsReportedAsDamageNotAsARecordOrAnEnd() throws IOException {
        byte[] record = framed(bytes("payload"));
        for (int keep = 1; keep < record.length; keep++) {
            var in = new ByteArrayInputStream(Arrays.copyOf(record, keep));
            assertThat(RecordFormat.read(in, 100)).as("cut to %d bytes", keep)
                    .isInstanceOf(RecordFormat.ReadResult.Damaged.class);
        }
    }

    @Test
    void everySingleBitFlipInARecordIsDetected() throws IOException {
        byte[] record = framed(bytes("payload"));
        for (int bit = 0; bit < record.length * 8; bit++) {
            byte[] damaged = record.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(RecordFormat.read(new ByteArrayInputStream(damaged), 100)).as("bit %d flipped", bit)
                    .isInstanceOf(RecordFormat.ReadResult.Damaged.class);
        }
    }

    @Test
    void lengthAboveTheLimitIsDamageWithoutAllocatingIt() throws IOException {
        byte[] record = framed(new byte[64]);
        assertThat(RecordFormat.read(new ByteArrayInputStream(record), 63))
                .isInstanceOfSatisfying(RecordFormat.ReadResult.Damaged.class,
                        d -> assertThat(d.reason()).contains("implausible"));
    }
}
