package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.WriteOp;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRecordTest {

    @Test
    void migrationRecordsRoundTrip() {
        List<HashRange> ranges = List.of(new HashRange(Long.MAX_VALUE, Long.MIN_VALUE), new HashRange(-5, 7));

        assertThat(LogRecord.decode(LogRecord.encode(new LogRecord.DropRange(Table.PREV, ranges))))
                .isEqualTo(new LogRecord.DropRange(Table.PREV, ranges));
        assertThat(LogRecord.decode(LogRecord.encode(new LogRecord.MoveRange(Table.PREV, Table.OWN, ranges))))
                .isEqualTo(new LogRecord.MoveRange(Table.PREV, Table.OWN, ranges));
        assertThat(LogRecord.decode(LogRecord.encode(new LogRecord.DropRange(Table.OWN, List.of()))))
                .isEqualTo(new LogRecord.DropRange(Table.OWN, List.of()));
    }

    @Test
    void existingEncodingsAreUnchangedSoOldLogsStillReplay() {
        HexFormat hex = HexFormat.of();
        PrepareRequest put = new PrepareRequest("k", Table.PREV, WriteOp.PUT, new byte[] {9}, null, null, List.of("p"));

        assertThat(LogRecord.decode(hex.parseHex("01" + "000174" + "00016b" + "01" + "00" + "0000000109" + "00"
                + "ffffffffffffffff" + "0001" + "000170")))
                .as("a prepare logged before versions were chosen up front").usingRecursiveComparison()
                .isEqualTo(new LogRecord.Prepare("t", put));
        PrepareRequest versioned = new PrepareRequest("k", Table.PREV, WriteOp.PUT, new byte[] {9}, null, null,
                List.of("p"), 7L, true);
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.Prepare("t", versioned))))
                .isEqualTo("04" + "000174" + "00016b" + "01" + "00" + "0000000109" + "00" + "ffffffffffffffff"
                        + "0001" + "000170" + "0000000000000007" + "01");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.Resolving("t")))).isEqualTo("05" + "000174");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.Commit("t", 5)))).isEqualTo("02" + "000174" + "0000000000000005");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.Abort("t")))).isEqualTo("03" + "000174");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.Entry(Table.OWN, "k", new byte[] {9}, null, 5))))
                .isEqualTo("0a" + "00" + "00016b" + "0000000109" + "00" + "0000000000000005");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.DropRange(Table.OWN, List.of(new HashRange(1, 2))))))
                .isEqualTo("14" + "00" + "00000001" + "0000000000000001" + "0000000000000002");
        assertThat(hex.formatHex(LogRecord.encode(new LogRecord.MoveRange(Table.PREV, Table.OWN, List.of()))))
                .isEqualTo("15" + "01" + "00" + "00000000");
    }

    @Test
    void theHighestForgottenCommitRoundTripsAsItsOwnTag() {
        byte[] payload = LogRecord.encode(new LogRecord.Forgotten(1_764_000_000_000_000L));

        assertThat(HexFormat.of().formatHex(payload)).isEqualTo("0e" + "0006445941624000");
        assertThat(LogRecord.decode(payload)).isEqualTo(new LogRecord.Forgotten(1_764_000_000_000_000L));
    }

    /** Found by ParticipantFuzzTest: an out-of-range ordinal escaped as ArrayIndexOutOfBoundsException. */
    @Test
    void payloadWithAnUnknownTableOrdinalIsUndecodableNotAnIndexError() {
        byte[] entryWithTable234 = {LogRecord.ENTRY, (byte) 0xea};

        assertThatThrownBy(() -> LogRecord.decode(entryWithTable234)).isInstanceOf(IllegalStateException.class)
                .hasMessage("undecodable log record");
    }

    @Test
    void prepareWithANegativePeerCountIsUndecodable() {
        byte[] payload = LogRecord.encode(new LogRecord.Prepare("t", new PrepareRequest("k", Table.OWN, WriteOp.DELETE,
                null, null, null, List.of())));
        payload[payload.length - 11] = (byte) 0x80; // the peer count, a short, before the version and the condition

        assertThatThrownBy(() -> LogRecord.decode(payload)).isInstanceOf(IllegalStateException.class);
    }
}
