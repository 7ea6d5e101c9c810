package dev.kvstore.web.security;

import dev.kvstore.auth.RequestSigner;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Signs every request a RestClient sends, each attempt anew (so a retry gets a fresh time and nonce); for
 * a client other than a RestClient, {@link #authorization} gives the header. Signs nothing when cluster
 * traffic is not authenticated.
 */
public final class SigningInterceptor implements ClientHttpRequestInterceptor {

    private final RequestSigner signer;

    /** @param signer null when cluster traffic is not authenticated */
    public SigningInterceptor(RequestSigner signer) {
        this.signer = signer;
    }

    /** The {@code Authorization} header of a request; null when cluster traffic is not authenticated. */
    public String authorization(String method, URI uri, byte[] body) {
        return signer == null ? null : signer.authorization(method, uri, body);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String authorization = authorization(request.getMethod().name(), request.getURI(), body);
        if (authorization != null) {
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, authorization);
        }
        return execution.execute(request, body);
    }
}
