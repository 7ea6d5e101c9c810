package dev.kvstore.coordinator.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys = new ApiKeys(List.of(
            new ApiKeys.Digest("reader", ApiKeys.sha256("reader-key-0123456789"), ApiScope.READ),
            new ApiKeys.Digest("writer", ApiKeys.sha256("writer-key-0123456789"), ApiScope.READ_WRITE)));

    @Test
    void aConfiguredKeyIsFoundWithItsNameAndScope() {
        assertThat(keys.find("reader-key-0123456789")).contains(new ApiKey("reader", ApiScope.READ));
        assertThat(keys.find("writer-key-0123456789")).contains(new ApiKey("writer", ApiScope.READ_WRITE));
    }

    @Test
    void anUnknownOrAlmostRightKeyIsNotFound() {
        assertThat(keys.find("reader-key-012345678")).isEmpty();
        assertThat(keys.find("reader-key-01234567890")).isEmpty();
        assertThat(keys.find("READER-KEY-0123456789")).isEmpty();
        assertThat(keys.find("")).isEmpty();
    }

    @Test
    void hexDigestIsWhatSha256sumPrints() {
        // printf %s abc | sha256sum
        assertThat(ApiKeys.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void eachScopeIncludesTheOnesBeforeIt() {
        assertThat(ApiScope.ADMIN.includes(ApiScope.READ_WRITE)).isTrue();
        assertThat(ApiScope.READ_WRITE.includes(ApiScope.READ)).isTrue();
        assertThat(ApiScope.READ.includes(ApiScope.READ_WRITE)).isFalse();
        assertThat(ApiScope.READ_WRITE.includes(ApiScope.ADMIN)).isFalse();
    }
}
