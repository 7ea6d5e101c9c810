package dev.kvstore.coordinator.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Without {@code kv.security.api-keys} (the default) Spring Security installs nothing: no filter chain,
 * no generated password, no security headers, and the client API answers as it always did. (The same
 * configuration as {@code ClusterAuthHttpTest}, so both share one application context.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kv.cluster.secret=coordinator test secret, long enough", "kv.membership.heartbeat-timeout=1h"})
class ApiKeysOffHttpTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;
    @Autowired
    ApplicationContext context;

    @Test
    void noSecurityFilterIsInstalled() {
        assertThat(context.getBeanNamesForType(SecurityFilterChain.class)).isEmpty();
        assertThat(context.containsBean("springSecurityFilterChain")).isFalse();
        assertThat(context.containsBean("inMemoryUserDetailsManager")).isFalse();
    }

    @Test
    void everyClientAndOperatorCallIsOpenAsBefore() throws Exception {
        HttpResponse<String> put = send("PUT", "/kv/open/key");

        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(put.headers().firstValue("X-Content-Type-Options")).isEmpty();
        assertThat(put.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(send("GET", "/kv/open/key").statusCode()).isNotIn(401, 403);
        assertThat(send("GET", "/nodes").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/nodes/no-such-node").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
