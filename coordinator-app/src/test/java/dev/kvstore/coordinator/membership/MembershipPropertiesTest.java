package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MembershipPropertiesTest {

    private static MembershipProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("kv.membership", Bindable.of(MembershipProperties.class));
    }

    @Test
    void restartWaitDefaultsToAMinuteAndBindsFromKvMembershipRestartWait() {
        assertThat(bind(Map.of()).restartWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(bind(Map.of("kv.membership.restart-wait", "2m")).restartWait()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void formationWindowStillDefaultsToThreeSeconds() {
        assertThat(bind(Map.of()).formationWindow()).isEqualTo(Duration.ofSeconds(3));
    }
}
