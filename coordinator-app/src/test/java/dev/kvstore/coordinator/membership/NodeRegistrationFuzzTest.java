package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.web.JsonBodyProblems;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /nodes} bodies as arbitrary bytes, read with the JSON mapper Spring Boot configures and
 * checked as the controller checks them: a valid registration, or a JSON error the problem handler
 * turns into a 400 naming what is wrong, or an {@link InvalidRegistrationException}; nothing else.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs in {@code NodeRegistrationFuzzTestInputs/};
 * to fuzz, see the README ("Bad input and limits").
 */
class NodeRegistrationFuzzTest {

    private static ConfigurableApplicationContext jackson;
    private static JsonMapper mapper;

    /** Built on the first input: Jazzer's agent only instruments classes loaded after {@code @BeforeAll}. */
    private static JsonMapper mapper() {
        if (mapper == null) {
            jackson = new SpringApplicationBuilder(JacksonAutoConfiguration.class).web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF).logStartupInfo(false).run();
            mapper = jackson.getBean(JsonMapper.class);
        }
        return mapper;
    }

    @AfterAll
    static void close() {
        if (jackson != null) {
            jackson.close();
        }
    }

    @FuzzTest(maxDuration = "5s")
    void registrationIsValidOrRefusedSayingWhy(byte[] body) {
        NodeRegistration registration;
        try {
            registration = mapper().readValue(body, NodeRegistration.class);
        } catch (JacksonException unreadable) {
            ProblemDetail problem = JsonBodyProblems.describe(unreadable);
            assertThat(problem.getStatus()).isEqualTo(400);
            assertThat(problem.getDetail()).isNotBlank();
            return;
        }
        try {
            NodeRegistrations.validate(registration);
        } catch (InvalidRegistrationException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(registration.id()).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
        URI url = URI.create(registration.url());
        assertThat(url.getScheme()).isIn("http", "https");
        assertThat(url.getHost()).isNotNull();
    }
}
