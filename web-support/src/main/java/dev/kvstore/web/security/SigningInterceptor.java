package dev.kvstore.web.security;

import dev.kvstore.auth.RequestSigner;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** Signs every request a RestClient sends, each attempt anew (so a retry gets a fresh time and nonce). */
public final class SigningInterceptor implements ClientHttpRequestInterceptor {

    private final RequestSigner signer;

    public SigningInterceptor(RequestSigner signer) {
        this.signer = signer;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        request.getHeaders().set(HttpHeaders.AUTHORIZATION,
                signer.authorization(request.getMethod().name(), request.getURI(), body));
        return execution.execute(request, body);
    }
}
