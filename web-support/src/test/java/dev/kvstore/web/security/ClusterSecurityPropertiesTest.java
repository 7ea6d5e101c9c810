package dev.kvstore.web.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The secret both apps bind: a published placeholder is refused, whichever app starts with it. */
class ClusterSecurityPropertiesTest {

    @Test
    void thePublishedPlaceholderSecretIsRefused() {
        assertThatThrownBy(() -> properties("CHANGE-ME-replace-with-a-long-random-secret"))
                .hasMessageContainingAll("placeholder", "openssl rand");
        assertThatThrownBy(() -> properties("change-me-to-something-long-and-random"))
                .hasMessageContaining("placeholder");
    }

    private static ClusterSecurityProperties properties(String secret) {
        return new ClusterSecurityProperties(secret, false, Duration.ofSeconds(30), null);
    }
}
