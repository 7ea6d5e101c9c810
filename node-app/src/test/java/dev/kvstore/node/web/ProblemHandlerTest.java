package dev.kvstore.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import dev.kvstore.node.participant.InvalidPrepareException;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.TransactionConflictException;
import dev.kvstore.node.participant.TxnController;
import dev.kvstore.node.participant.UnknownTransactionException;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.storage.TableController;
import dev.kvstore.node.wal.WalException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Every failure of the node's API is a problem+json with a useful detail, never a 500 or a trace. */
@WebMvcTest({TxnController.class, TableController.class, ProblemHandler.class})
class ProblemHandlerTest {

    @Autowired
    MockMvcTester mvc;
    @MockitoBean
    Participant participant;
    @MockitoBean
    Replica replica;
    @MockitoBean
    Tables tables;

    private MvcTestResult prepare(String body) {
        return mvc.post().uri("/internal/txn/t1/prepare").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void malformedJsonIsA400ThatSaysWhatCouldNotBeRead() throws Exception {
        MvcTestResult result = prepare("{\"key\":");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Unreadable request body");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("at dev.", "Exception");
    }

    @Test
    void unknownEnumValueIsA400NamingTheAcceptedValues() {
        MvcTestResult result = prepare("{\"key\":\"k\",\"table\":\"NOPE\",\"op\":\"PUT\"}");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("OWN", "PREV");
    }

    @Test
    void invalidWriteIsA400WithTheParticipantsReason() {
        given(participant.prepare(eq("t1"), any())).willThrow(new InvalidPrepareException("the key is empty"));

        MvcTestResult result = prepare("{\"key\":\"\",\"table\":\"OWN\",\"op\":\"PUT\"}");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("the key is empty");
    }

    @Test
    void commitOfAnUnknownTransactionIsA404() {
        given(participant.commit(eq("t1"), anyLong())).willThrow(new UnknownTransactionException("t1"));

        assertThat(mvc.post().uri("/internal/txn/t1/commit").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":1}")).hasStatus(HttpStatus.NOT_FOUND);
    }

    @Test
    void contradictoryDecisionIsA409() {
        given(participant.abort("t1")).willThrow(new TransactionConflictException("already COMMITTED"));

        assertThat(mvc.post().uri("/internal/txn/t1/abort")).hasStatus(HttpStatus.CONFLICT);
    }

    @Test
    void failedLogIsA503WithRetryAfter() throws Exception {
        given(participant.prepare(eq("t1"), any())).willThrow(new WalException("disk", new IOException("EIO")));

        MvcTestResult result = prepare("{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"AA==\"}");

        assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("EIO");
    }

    @Test
    void unknownTableIsA400NamingTheTables() {
        MvcTestResult result = mvc.get().uri("/internal/tables/nope").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'own' or 'prev'");
    }

    @Test
    void unsupportedMethodIsA405Problem() {
        assertThat(mvc.delete().uri("/internal/txn/t1/prepare")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void readOfAKeyHeldInDoubtIs409SoTheCallerReadsTheOtherReplica() {
        given(replica.isHeld("k")).willReturn(true);

        MvcTestResult result = mvc.get().uri("/internal/kv?table=own&key=k").exchange();

        assertThat(result).hasStatus(HttpStatus.CONFLICT).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("other replica");
    }
}
