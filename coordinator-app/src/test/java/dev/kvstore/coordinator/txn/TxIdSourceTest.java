package dev.kvstore.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TxIdSourceTest {

    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    @Test
    void idsAreDistinctCanonicalVersionEightUuids() {
        TxIdSource source = new TxIdSource();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String txId = source.next();
            assertThat(txId).matches(CANONICAL);
            assertThat(UUID.fromString(txId).version()).isEqualTo(8);
            assertThat(UUID.fromString(txId).variant()).isEqualTo(2);
            assertThat(seen.add(txId)).as("repeated: %s", txId).isTrue();
        }
    }

    @Test
    void twoProcessesDrawDifferentIds() {
        TxIdSource one = new TxIdSource();
        TxIdSource other = new TxIdSource();

        assertThat(one.next().substring(0, 18)).isNotEqualTo(other.next().substring(0, 18));
    }
}
