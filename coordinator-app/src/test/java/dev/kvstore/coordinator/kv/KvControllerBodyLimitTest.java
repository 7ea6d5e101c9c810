package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.Key;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

/** PUT bodies are measured against kv.api.max-value-size before and while they are read. */
class KvControllerBodyLimitTest {

    private static final int LIMIT = 16;

    private final KvService kv = mock(KvService.class);
    private final KvController controller = new KvController(kv, new KvApiProperties(DataSize.ofBytes(LIMIT),
            Duration.ofSeconds(5), Duration.ofSeconds(1), DataSize.ofMegabytes(1)));

    /** A request body of {@code declared} length (-1: chunked) whose bytes come from {@code source}. */
    private static MockHttpServletRequest request(long declared, CountingBody body) {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/kv/k") {
            @Override
            public long getContentLengthLong() {
                return declared;
            }

            @Override
            public ServletInputStream getInputStream() {
                return body;
            }
        };
        request.setContentType("text/plain");
        return request;
    }

    static final class CountingBody extends ServletInputStream {
        private final IntSupplier next;
        long read;

        CountingBody(IntSupplier next) {
            this.next = next;
        }

        @Override
        public int read() {
            int b = next.getAsInt();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
        }
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedWithoutReadingTheBody() {
        CountingBody body = new CountingBody(() -> {
            throw new AssertionError("the body must not be read");
        });

        assertThatThrownBy(() -> controller.put("/k", request(1_000_000_000L, body), null, null))
                .isInstanceOf(ValueTooLargeException.class).hasMessageContaining(LIMIT + " bytes");
        assertThat(body.read).isZero();
        verifyNoInteractions(kv);
    }

    @Test
    void chunkedBodyIsReadNoFurtherThanOneBytePastTheLimit() {
        CountingBody endless = new CountingBody(() -> 'x');

        assertThatThrownBy(() -> controller.put("/k", request(-1, endless), null, null))
                .isInstanceOf(ValueTooLargeException.class);
        assertThat(endless.read).isEqualTo(LIMIT + 1);
        verifyNoInteractions(kv);
    }

    @Test
    void chunkedBodyOfExactlyTheLimitIsStored() throws Exception {
        int[] left = {LIMIT};
        CountingBody body = new CountingBody(() -> left[0]-- > 0 ? 'x' : -1);
        given(kv.put(eq(Key.of("k")), any(), eq("text/plain"), any())).willReturn(new WriteOutcome.Committed(1, true));

        assertThat(controller.put("/k", request(-1, body), null, null).getStatusCode().value()).isEqualTo(201);
        assertThat(body.read).isEqualTo(LIMIT);
    }
}
