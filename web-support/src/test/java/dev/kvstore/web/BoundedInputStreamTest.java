package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedInputStreamTest {

    /** An endless source that counts what was taken from it. */
    static final class Endless extends InputStream {
        long taken;

        @Override
        public int read() {
            taken++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            taken += len;
            return len;
        }
    }

    @Test
    void bodyOfExactlyTheLimitPasses() throws IOException {
        InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[100]), 100);

        assertThat(in.readAllBytes()).hasSize(100);
    }

    @Test
    void oneBytePastTheLimitFails() {
        InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[101]), 100);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("limit of 100 bytes");
    }

    @Test
    void neverTakesMoreThanOneBytePastTheLimitFromTheSource() {
        Endless source = new Endless();
        InputStream in = new BoundedInputStream(source, 1000);

        assertThatThrownBy(() -> in.readNBytes(1 << 20)).isInstanceOf(BodyTooLargeException.class);
        assertThat(source.taken).isEqualTo(1001);
    }

    @Test
    void keepsFailingAfterTheLimit() throws IOException {
        InputStream in = new BoundedInputStream(new Endless(), 10);
        assertThatThrownBy(() -> in.readNBytes(20)).isInstanceOf(BodyTooLargeException.class);

        assertThatThrownBy(in::read).isInstanceOf(BodyTooLargeException.class);
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(BodyTooLargeException.class);
    }
}
