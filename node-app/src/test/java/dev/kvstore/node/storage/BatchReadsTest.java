package dev.kvstore.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.kvstore.model.Table;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.web.ProblemHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import dev.kvstore.node.participant.ParticipantOptions;
import java.time.Duration;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** POST /internal/kv/batch answers each read on its own, in order: the value, or its {@code NodeError}. */
@WebMvcTest({TableController.class, ProblemHandler.class})
class BatchReadsTest {

    @TestConfiguration
    static class Options {
        @Bean
        ParticipantOptions participantOptions() {
            return new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1024);
        }
    }

    @Autowired
    MockMvcTester mvc;
    @MockitoBean
    Replica replica;
    @MockitoBean
    Tables tables;

    private MvcTestResult post(String body) {
        return mvc.post().uri("/internal/kv/batch").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void eachReadGetsItsValueOrItsErrorInOrder() {
        given(tables.get(Table.OWN, "here")).willReturn(Optional.of(
                new StoredValue("hello".getBytes(StandardCharsets.UTF_8), "text/plain", 42)));
        given(tables.get(Table.PREV, "gone")).willReturn(Optional.empty());
        given(replica.isHeld("busy")).willReturn(true);

        MvcTestResult result = post("""
                {"reads": [{"table": "OWN", "key": "here"}, {"table": "PREV", "key": "gone"},
                           {"table": "OWN", "key": "busy"}, {"table": "OWN", "key": ""}, {"key": "no-table"}]}""");

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.replies[*].error").asArray()
                .containsExactly(null, "KEY_NOT_FOUND", "KEY_IN_DOUBT", "INVALID_REQUEST", "INVALID_REQUEST");
        assertThat(result).bodyJson().extractingPath("$.replies[1].detail").asString().contains("no key 'gone'");
        assertThat(result).bodyJson().extractingPath("$.replies[0].value").isEqualTo("aGVsbG8=");
        assertThat(result).bodyJson().extractingPath("$.replies[0].version").isEqualTo(42);
        assertThat(result).bodyJson().extractingPath("$.replies[0].contentType").isEqualTo("text/plain");
    }

    @Test
    void aBatchOfTooManyReadsIsA400Problem() {
        String reads = "{\"table\":\"OWN\",\"key\":\"k\"},".repeat(TableController.MAX_READS + 1);

        MvcTestResult result = post("{\"reads\": [" + reads.substring(0, reads.length() - 1) + "]}");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("at most " + TableController.MAX_READS);
    }
}
