package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TxIdsTest {

    @Test
    void aCanonicalUuidIsHeldAsItsBitsAndGivesBackTheSameText() {
        for (int i = 0; i < 1000; i++) {
            UUID uuid = UUID.randomUUID();
            String txId = uuid.toString();

            assertThat(TxIds.isCanonicalUuid(txId)).isTrue();
            assertThat(TxIds.high(txId)).isEqualTo(uuid.getMostSignificantBits());
            assertThat(TxIds.low(txId)).isEqualTo(uuid.getLeastSignificantBits());
            assertThat(TxIds.text(TxIds.high(txId), TxIds.low(txId))).isEqualTo(txId);
        }
        for (String edge : new String[] {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"}) {
            assertThat(TxIds.isCanonicalUuid(edge)).isTrue();
            assertThat(TxIds.text(TxIds.high(edge), TxIds.low(edge))).isEqualTo(edge);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1", "", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-", "0f1e2d3c4b5a-6978-8796-a5b4c3d2e1f0x", "0f1e2d3c-4b5a-6978-8796+a5b4c3d2e1f0",
            "0f1e2d3g-4b5a-6978-8796-a5b4c3d2e1f0", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f/", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f:",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f\u00e9", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f\u0130"})
    void anyOtherIdIsNotHeldAsBits(String txId) {
        assertThat(TxIds.isCanonicalUuid(txId)).isFalse();
    }
}
