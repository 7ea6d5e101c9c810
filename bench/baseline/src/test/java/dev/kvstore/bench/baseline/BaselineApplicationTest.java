package dev.kvstore.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The baseline answers the benchmark's two requests like the coordinator would: 200 with a value, 201. */
@WebMvcTest(BaselineApplication.class)
class BaselineApplicationTest {

    @Autowired
    MockMvcTester mvc;

    @Test
    void getAnswersAFixed100ByteTextValueForAnyKey() {
        assertThat(mvc.get().uri("/kv/hot/k42").exchange())
                .hasStatusOk()
                .hasContentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .hasBodyTextEqualTo(new String(BaselineApplication.VALUE));
        assertThat(BaselineApplication.VALUE).hasSize(100);
    }

    @Test
    void putReadsTheBodyAndAnswers201() {
        assertThat(mvc.put().uri("/kv/hot/k42").contentType(MediaType.TEXT_PLAIN).content("x".repeat(100)).exchange())
                .hasStatus(201);
    }
}
