package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A well-formed PUT is answered before Spring MVC as the controller would answer it, its failures by the
 * same exception handlers; a PUT the controller would refuse before writing reaches the controller.
 */
class DirectWritesTest {

    private final KvService kv = mock(KvService.class);
    private final List<Exception> handled = new ArrayList<>();
    private final HandlerExceptionResolver handlers = (request, response, handler, e) -> {
        handled.add(e);
        response.setStatus(503);
        return new ModelAndView();
    };
    private final DirectWrites filter = new DirectWrites(kv, 16, handlers);
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final MockFilterChain chain = new MockFilterChain();

    private static MockHttpServletRequest put(String uri, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", uri);
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setContentType("text/plain");
        return request;
    }

    private boolean reachedController(MockHttpServletRequest request) throws Exception {
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null;
    }

    @Test
    void aPutThatCreatesTheKeyIsAnswered201WithItsLocationAndVersion() throws Exception {
        given(kv.put(eq(Key.of("app/db url")), any(), eq("text/plain"), eq(Precondition.NONE)))
                .willReturn(new WriteOutcome.Committed(42, true));

        boolean passed = reachedController(put("/kv/app/db%20url", "hello"));

        assertThat(passed).isFalse();
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getHeader("Location")).isEqualTo("/kv/app/db%20url");
        assertThat(response.getHeader("ETag")).isEqualTo("\"42\"");
        assertThat(response.getContentLength()).isZero();
    }

    @Test
    void aPutThatReplacesIsAnswered200WithoutLocationAndPassesValueTypeAndCondition() throws Exception {
        MockHttpServletRequest request = put("/kv/k", "hello");
        request.addHeader("If-Match", "\"7\"");
        given(kv.put(eq(Key.of("k")), eq("hello".getBytes(StandardCharsets.UTF_8)), eq("text/plain"),
                eq(new Precondition.MustMatch(7)))).willReturn(new WriteOutcome.Committed(43, false));

        assertThat(reachedController(request)).isFalse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(response.getHeader("ETag")).isEqualTo("\"43\"");
    }

    @Test
    void aFailedWriteIsAnsweredByTheControllersExceptionHandlers() throws Exception {
        ReplicasUnavailableException down = new ReplicasUnavailableException("node-2 is down");
        given(kv.put(any(), any(), any(), any())).willThrow(down);

        assertThat(reachedController(put("/kv/k", "hello"))).isFalse();
        assertThat(handled).containsExactly(down);
        assertThat(response.getStatus()).isEqualTo(503);
    }

    @Test
    void aPutTheControllerWouldRefuseBeforeWritingGoesToItUnread() throws Exception {
        MockHttpServletRequest tooLarge = put("/kv/k", "x".repeat(17));
        MockHttpServletRequest unsized = put("/kv/k", "hello");
        unsized.setContent(null);
        unsized.addHeader("Transfer-Encoding", "chunked");
        MockHttpServletRequest badKey = put("/kv/%ZZ", "hello");
        MockHttpServletRequest badType = put("/kv/k", "hello");
        badType.setContentType("not a type");
        MockHttpServletRequest badCondition = put("/kv/k", "hello");
        badCondition.addHeader("If-Match", "seven");
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/kv/k");

        for (MockHttpServletRequest request : List.of(tooLarge, unsized, badKey, badType, badCondition, get)) {
            assertThat(filter.takes(request)).as(request.getMethod() + " " + request.getRequestURI()).isFalse();
        }
        assertThat(reachedController(badCondition)).isTrue();
        verifyNoInteractions(kv);
    }
}
