package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.cache.SetAssociativeCache;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Cache hits are answered as the controller would answer them; everything else reaches the controller. */
class CachedReadsTest {

    private final SetAssociativeCache<String, CachedValue> cache = new SetAssociativeCache<>(16, 4);
    private final CachedReads filter = new CachedReads(cache);
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final MockFilterChain chain = new MockFilterChain();

    CachedReadsTest() {
        cache.put("app/db url", new CachedValue("hello".getBytes(StandardCharsets.UTF_8), "text/plain", 42));
    }

    private MockHttpServletRequest request(String method, String uri) {
        return new MockHttpServletRequest(method, uri);
    }

    private boolean reachedController(MockHttpServletRequest request) throws Exception {
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null;
    }

    @Test
    void aHitIsAnsweredWithTheValueItsTypeAndItsVersionAsETag() throws Exception {
        boolean passed = reachedController(request("GET", "/kv/app/db%20url"));

        assertThat(passed).isFalse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("ETag")).isEqualTo("\"42\"");
        assertThat(response.getContentType()).isEqualTo("text/plain");
        assertThat(response.getContentLength()).isEqualTo(5);
        assertThat(response.getContentAsString()).isEqualTo("hello");
        assertThat(cache.stats().hits()).isEqualTo(1);
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        boolean passed = reachedController(request("HEAD", "/kv/app/db%20url"));

        assertThat(passed).isFalse();
        assertThat(response.getHeader("ETag")).isEqualTo("\"42\"");
        assertThat(response.getContentLength()).isEqualTo(5);
        assertThat(response.getContentAsByteArray()).isEmpty();
    }

    @Test
    void aMissGoesToTheControllerWithoutCountingTwice() throws Exception {
        assertThat(reachedController(request("GET", "/kv/absent"))).isTrue();
        assertThat(cache.stats().misses()).as("the controller's read counts the miss").isZero();
    }

    @Test
    void conditionalRequestsGoToTheController() throws Exception {
        MockHttpServletRequest request = request("GET", "/kv/app/db%20url");
        request.addHeader("If-None-Match", "\"42\"");

        assertThat(reachedController(request)).isTrue();
    }

    @Test
    void anAcceptHeaderTheTypeDoesNotSatisfyGoesToTheController() throws Exception {
        MockHttpServletRequest refused = request("GET", "/kv/app/db%20url");
        refused.addHeader("Accept", "application/json");
        MockHttpServletRequest accepted = request("GET", "/kv/app/db%20url");
        accepted.addHeader("Accept", "application/json, text/*;q=0.5");

        assertThat(reachedController(refused)).isTrue();
        assertThat(new CachedReads(cache).servesFrom(accepted)).isTrue();
    }

    @Test
    void writesAndMalformedKeysGoToTheController() throws Exception {
        assertThat(reachedController(request("PUT", "/kv/app/db%20url"))).isTrue();
        assertThat(new CachedReads(cache).servesFrom(request("GET", "/kv/%zz"))).isFalse();
        assertThat(new CachedReads(cache).servesFrom(request("GET", "/kv/"))).isFalse();
    }
}
