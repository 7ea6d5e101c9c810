package dev.kvstore.coordinator.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyPropertiesTest {

    private static final String KEY = "a-development-key-0123";

    @Test
    void noKeysMeansOff() {
        assertThat(new ApiKeyProperties(null).enabled()).isFalse();
        assertThat(new ApiKeyProperties(List.of()).enabled()).isFalse();
    }

    @Test
    void hashedAndRawKeysBothWork() {
        ApiKeys keys = new ApiKeyProperties(List.of(
                new ApiKeyProperties.Entry("hashed", ApiKeys.sha256Hex(KEY).toUpperCase(), null, ApiScope.READ),
                new ApiKeyProperties.Entry("raw", null, KEY + "-raw", ApiScope.ADMIN))).toApiKeys();

        assertThat(keys.find(KEY)).contains(new ApiKey("hashed", ApiScope.READ));
        assertThat(keys.find(KEY + "-raw")).contains(new ApiKey("raw", ApiScope.ADMIN));
    }

    @Test
    void incompleteOrAmbiguousEntriesAreRefusedNamingTheProperty() {
        assertRefused(new ApiKeyProperties.Entry(null, null, KEY, ApiScope.READ), "api-keys[0].name is missing");
        assertRefused(new ApiKeyProperties.Entry("k", null, KEY, null), "api-keys[0].scope is missing");
        assertRefused(new ApiKeyProperties.Entry("k", null, null, ApiScope.READ), "exactly one of key-sha256");
        assertRefused(new ApiKeyProperties.Entry("k", ApiKeys.sha256Hex(KEY), KEY, ApiScope.READ), "exactly one");
        assertRefused(new ApiKeyProperties.Entry("k", "abc", null, ApiScope.READ), "64 hex digits");
        assertRefused(new ApiKeyProperties.Entry("k", null, "short", ApiScope.READ), "shorter than 16");
        assertThatThrownBy(() -> new ApiKeyProperties(List.of(new ApiKeyProperties.Entry("k", null, KEY, ApiScope.READ),
                new ApiKeyProperties.Entry("k", null, KEY + "x", ApiScope.READ))))
                .hasMessageContaining("api-keys[1].name 'k' is used twice");
    }

    @Test
    void aRawKeyNeverAppearsInToString() {
        ApiKeyProperties properties = new ApiKeyProperties(List.of(new ApiKeyProperties.Entry("k", null, KEY, ApiScope.READ)));

        assertThat(properties.toString()).contains("name=k").doesNotContain(KEY);
    }

    private static void assertRefused(ApiKeyProperties.Entry entry, String message) {
        assertThatThrownBy(() -> new ApiKeyProperties(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
