package dev.kvstore.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.client.MockClientHttpRequest;

class RefusalReportingTest {

    private final List<URI> reported = new ArrayList<>();
    private final RefusalReporting reporting = new RefusalReporting(reported::add);
    private final URI node = URI.create("http://10.0.0.1:9001/internal/txn/batch");

    @Test
    void aRefusedConnectionIsReportedAndTheCallStillFails() {
        assertThatThrownBy(() -> reporting.intercept(new MockClientHttpRequest(HttpMethod.POST, node), new byte[0],
                (request, body) -> {
                    throw new ConnectException("Connection refused");
                })).isInstanceOf(ConnectException.class);

        assertThat(reported).containsExactly(node);
    }

    @Test
    void aTimeoutProvesNothingAndIsNotReported() {
        assertThatThrownBy(() -> reporting.intercept(new MockClientHttpRequest(HttpMethod.POST, node), new byte[0],
                (request, body) -> {
                    throw new SocketTimeoutException("Read timed out");
                })).isInstanceOf(SocketTimeoutException.class);

        assertThat(reported).isEmpty();
    }
}
