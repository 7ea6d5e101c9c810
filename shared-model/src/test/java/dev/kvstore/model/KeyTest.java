package dev.kvstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyTest {

    @Test
    void aKeyCarriesItsUtf8BytesAndTheRingHashOfThem() {
        Key key = Key.of("app/db/ürl");

        assertThat(key.text()).isEqualTo("app/db/ürl");
        assertThat(key.utf8()).isEqualTo("app/db/ürl".getBytes(StandardCharsets.UTF_8));
        assertThat(key.hash()).isEqualTo(KeyHash.of("app/db/ürl"));
    }

    @Test
    void aKeyBreakingTheRulesIsRefusedWithTheRulesOwnReason() {
        assertThatThrownBy(() -> Key.of("")).isInstanceOf(InvalidKeyException.class)
                .hasMessage(Keys.problem(""));
        assertThatThrownBy(() -> Key.of(null)).isInstanceOf(InvalidKeyException.class)
                .hasMessage(Keys.problem((String) null));
        assertThatThrownBy(() -> Key.of("é".repeat(513))).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("1026 bytes");
        assertThat(Key.of("x".repeat(Keys.MAX_KEY_BYTES)).utf8()).hasSize(Keys.MAX_KEY_BYTES);
    }

    @Test
    void keysAreEqualExactlyWhenTheirTextIs() {
        assertThat(Key.of("k")).isEqualTo(Key.of("k")).hasSameHashCodeAs(Key.of("k"));
        assertThat(Key.of("k")).isNotEqualTo(Key.of("K"));
    }
}
