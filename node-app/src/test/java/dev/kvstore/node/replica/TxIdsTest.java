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
            String txId = UUID.randomUUID().toString();

            Object key = TxIds.key(txId);

            assertThat(key).isInstanceOf(TxIds.Uuid.class);
            assertThat(TxIds.text(key)).isEqualTo(txId);
            assertThat(TxIds.key(new String(txId))).isEqualTo(key).hasSameHashCodeAs(key);
        }
        assertThat(TxIds.text(TxIds.key("00000000-0000-0000-0000-000000000000")))
                .isEqualTo("00000000-0000-0000-0000-000000000000");
        assertThat(TxIds.text(TxIds.key("ffffffff-ffff-ffff-ffff-ffffffffffff")))
                .isEqualTo("ffffffff-ffff-ffff-ffff-ffffffffffff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1", "", "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-", "0f1e2d3c4b5a-6978-8796-a5b4c3d2e1f0x", "0f1e2d3c-4b5a-6978-8796+a5b4c3d2e1f0",
            "0f1e2d3g-4b5a-6978-8796-a5b4c3d2e1f0", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f/"})
    void anyOtherIdStaysItsString(String txId) {
        assertThat(TxIds.key(txId)).isSameAs(txId);
        assertThat(TxIds.text(txId)).isSameAs(txId);
    }

    @Test
    void idsDifferingOnlyInCaseStayDifferentTransactions() {
        String lower = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

        assertThat(TxIds.key(lower)).isNotEqualTo(TxIds.key(lower.toUpperCase()));
    }
}
