package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class KvRequestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KvRequestMetrics filter = new KvRequestMetrics(registry);

    private void request(String method, int status) throws Exception {
        FilterChain answering = (req, res) -> ((HttpServletResponse) res).setStatus(status);
        filter.doFilter(new MockHttpServletRequest(method, "/kv/k"), new MockHttpServletResponse(), answering);
    }

    private Timer timer(String operation, String outcome) {
        return registry.get("kv.requests").tag("operation", operation).tag("outcome", outcome).timer();
    }

    @ParameterizedTest
    @CsvSource({
            "GET, 200, get, ok",
            "HEAD, 404, head, not_found",
            "PUT, 201, put, created",
            "PUT, 200, put, ok",
            "PUT, 412, put, precondition_failed",
            "PUT, 413, put, too_large",
            "PUT, 400, put, bad_request",
            "PUT, 503, put, unavailable",
            "PUT, 504, put, unconfirmed",
            "DELETE, 204, delete, ok",
            "DELETE, 409, delete, client_error",
            "GET, 500, get, error"})
    void eachRequestIsTimedUnderItsOperationAndTheOutcomeTheClientGot(String method, int status, String operation,
                                                                     String outcome) throws Exception {
        request(method, status);

        assertThat(timer(operation, outcome).count()).isEqualTo(1);
        assertThat(registry.get("kv.requests").timers()).hasSize(1);
    }

    @Test
    void repeatedRequestsShareOneTimer() throws Exception {
        request("GET", 200);
        request("GET", 200);
        request("GET", 404);

        assertThat(timer("get", "ok").count()).isEqualTo(2);
        assertThat(timer("get", "not_found").count()).isEqualTo(1);
    }

    @Test
    void anExceptionNothingMappedCountsAsError() {
        FilterChain failing = (req, res) -> {
            throw new ServletException("unmapped");
        };

        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("PUT", "/kv/k"),
                new MockHttpServletResponse(), failing)).isInstanceOf(ServletException.class);
        assertThat(timer("put", "error").count()).isEqualTo(1);
    }

    @Test
    void methodsOutsideTheApiAreNotTimed() throws Exception {
        request("POST", 405);

        assertThat(registry.find("kv.requests").timers()).isEmpty();
    }
}
