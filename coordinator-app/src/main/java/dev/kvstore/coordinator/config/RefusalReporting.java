package dev.kvstore.coordinator.config;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.function.Consumer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** Tells {@code refused} of every call to a node whose connection was refused, then fails the call as before. */
final class RefusalReporting implements ClientHttpRequestInterceptor {

    private final Consumer<URI> refused;

    RefusalReporting(Consumer<URI> refused) {
        this.refused = refused;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        try {
            return execution.execute(request, body);
        } catch (ConnectException e) {
            refused.accept(request.getURI());
            throw e;
        }
    }
}
