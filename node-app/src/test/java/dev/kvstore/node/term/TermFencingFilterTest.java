package dev.kvstore.node.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.LogThrottle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The refusal no running node can be made to give on demand: a newer term its disk cannot keep. */
class TermFencingFilterTest {

    @TempDir
    Path dir;

    @Test
    void aNewerTermThatCannotBeKeptIsA503StorageUnavailableProblemAndTheCallDoesNotRun() throws Exception {
        TermStore failing = TermStore.open(dir, (path, options) -> {
            throw new IOException("EIO");
        });
        TermFencingFilter filter = new TermFencingFilter(failing,
                new LogThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1)), "node-1");
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/internal/txn/batch");
        request.setQueryString("term=7");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the call ran").isNull();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JsonNode problem = JsonMapper.builder().build().readTree(response.getContentAsString());
        assertThat(problem.path("type").asString()).isEqualTo("urn:kvstore:problem:storage-unavailable");
        assertThat(problem.path("detail").asString()).contains("cannot record coordinator term 7 durably")
                .doesNotContain("EIO");
        assertThat(failing.highest()).isZero();
    }
}
