package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    private static InputStream body(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 7);
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void aDeclaredBodyIsReadWholeIntoAnArrayOfItsSize() throws IOException {
        assertThat(RequestBodies.readAtMost(body(100), 100, 1000)).hasSize(100).containsOnly(7);
        assertThat(RequestBodies.readAtMost(body(0), 0, 1000)).isEmpty();
    }

    @Test
    void aBodyEndingBeforeItsDeclaredLengthGivesWhatArrived() throws IOException {
        assertThat(RequestBodies.readAtMost(body(40), 100, 1000)).hasSize(40);
    }

    @Test
    void anUndeclaredOrLargeBodyIsReadUpToOneBytePastTheLimit() throws IOException {
        assertThat(RequestBodies.readAtMost(body(5000), -1, 1000)).as("chunked").hasSize(1001);
        assertThat(RequestBodies.readAtMost(body(300), -1, 1000)).hasSize(300);
        assertThat(RequestBodies.readAtMost(body(200_000), 200_000, 100_000)).as("declared over the limit")
                .hasSize(100_001);
        assertThat(RequestBodies.readAtMost(body(90_000), 90_000, 100_000)).as("declared, beyond the sized read")
                .hasSize(90_000);
    }
}
