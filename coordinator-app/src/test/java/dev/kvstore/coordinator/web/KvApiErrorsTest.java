package dev.kvstore.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.kvstore.coordinator.kv.CachedValue;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.kv.KvController;
import dev.kvstore.coordinator.kv.KvService;
import dev.kvstore.coordinator.kv.ReplicasUnavailableException;
import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.Key;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The /kv API's HTTP contract: status codes, headers and problem details, with the service mocked. */
@WebMvcTest({KvController.class, ProblemHandler.class})
@TestPropertySource(properties = "kv.api.max-value-size=16B")
@Import(KvApiErrorsTest.Properties.class)
class KvApiErrorsTest {

    @TestConfiguration
    @EnableConfigurationProperties(KvApiProperties.class)
    static class Properties {
    }

    @Autowired
    MockMvcTester mvc;
    @MockitoBean
    KvService kv;

    @Test
    void keyIsTheWholeRestOfThePathSlashesIncluded() {
        given(kv.get(Key.of("app/db/url"))).willReturn(Optional.of(new CachedValue("x".getBytes(), "text/plain", 42)));

        MvcTestResult result = mvc.get().uri("/kv/app/db/url").exchange();

        assertThat(result).hasStatusOk().hasHeader("ETag", "\"42\"").hasContentType("text/plain");
        assertThat(result).hasBodyTextEqualTo("x");
    }

    @Test
    void newKeyIs201WithItsVersionAndReplacedIs200() {
        given(kv.put(eq(Key.of("k")), any(), eq("application/x-www-form-urlencoded"), eq(Precondition.NONE)))
                .willReturn(new WriteOutcome.Committed(7, true), new WriteOutcome.Committed(8, false));

        assertThat(mvc.put().uri("/kv/k").contentType(MediaType.APPLICATION_FORM_URLENCODED).content("hello"))
                .hasStatus(HttpStatus.CREATED).hasHeader("ETag", "\"7\"");
        assertThat(mvc.put().uri("/kv/k").contentType(MediaType.APPLICATION_FORM_URLENCODED).content("hello"))
                .hasStatus(HttpStatus.OK).hasHeader("ETag", "\"8\"");
    }

    @Test
    void valueOverTheLimitIs413AndNeverReachesTheService() {
        MvcTestResult result = mvc.put().uri("/kv/k").content("seventeen bytes!!").exchange();

        assertThat(result).hasStatus(HttpStatus.CONTENT_TOO_LARGE).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("16 bytes");
        verifyNoInteractions(kv);
    }

    @Test
    void invalidKeyIs400SayingWhyAndNeverReachesTheService() {
        MvcTestResult result = mvc.put().uri("/kv/" + "k".repeat(1025)).content("v").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("1025 bytes");
        verifyNoInteractions(kv);
    }

    @Test
    void malformedIfMatchIs400SayingWhatToSend() {
        MvcTestResult result = mvc.put().uri("/kv/k").header("If-Match", "yesterday").content("v").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("like \"17\"");
    }

    @Test
    void invalidContentTypeIs400() {
        MvcTestResult result = mvc.put().uri("/kv/k").header("Content-Type", "not a type").content("v").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void unavailableReplicasAre503WithRetryAfter() {
        given(kv.get(Key.of("k"))).willThrow(new ReplicasUnavailableException("node n2 is down"));

        MvcTestResult result = mvc.get().uri("/kv/k").exchange();

        assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "1")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("node n2 is down");
    }

    @Test
    void absentKeyIs404Problem() {
        given(kv.get(Key.of("k"))).willReturn(Optional.empty());

        assertThat(mvc.get().uri("/kv/k")).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void headAnswersWithTheHeadersOfGet() {
        given(kv.get(Key.of("k"))).willReturn(Optional.of(new CachedValue("abc".getBytes(), "text/plain", 3)));

        MvcTestResult result = mvc.head().uri("/kv/k").exchange();

        // The servlet container drops a HEAD body on the wire; here only the headers are the contract.
        assertThat(result).hasStatusOk().hasHeader("ETag", "\"3\"").hasContentType("text/plain");
    }
}
