package dev.kvstore.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import dev.kvstore.node.participant.InvalidPrepareException;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.TransactionConflictException;
import dev.kvstore.node.participant.TxnBatchController;
import dev.kvstore.node.participant.TxnBatches;
import dev.kvstore.node.participant.TxnController;
import dev.kvstore.node.participant.UnknownTransactionException;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.storage.TableController;
import dev.kvstore.node.wal.WalException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Every failure of the node's API is a problem+json with a useful detail, never a 500 or a trace; a
 * message of a batch that fails is answered in its reply with its error, and the batch still succeeds.
 */
@WebMvcTest({TxnController.class, TxnBatchController.class, TableController.class, ProblemHandler.class})
class ProblemHandlerTest {

    private static final String PUT = "{\"key\":\"k\",\"table\":\"OWN\",\"op\":\"PUT\",\"value\":\"AA==\"}";

    @Autowired
    MockMvcTester mvc;
    @MockitoBean
    Participant participant;
    @MockitoBean
    Replica replica;
    @MockitoBean
    Tables tables;

    /** The real batch handling on the mocked participant, so its exceptions take the path they take in the node. */
    @TestConfiguration
    static class Batches {
        @Bean
        ParticipantOptions participantOptions() {
            return new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1024);
        }

        @Bean(destroyMethod = "close")
        ExecutorService batchExecutor() {
            return Executors.newVirtualThreadPerTaskExecutor();
        }

        @Bean
        TxnBatches txnBatches(Participant participant, ExecutorService batchExecutor) {
            return new TxnBatches(participant, batchExecutor, 16);
        }
    }

    private MvcTestResult batch(String body) {
        return mvc.post().uri("/internal/txn/batch").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private MvcTestResult prepare(String write) {
        return batch("{\"messages\":[{\"txId\":\"t1\",\"kind\":\"PREPARE\",\"prepare\":" + write + "}]}");
    }

    @Test
    void malformedJsonIsA400ThatSaysWhatCouldNotBeRead() throws Exception {
        MvcTestResult result = batch("{\"messages\":[{\"txId\":");

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
    void refusedMessagesAreAnsweredInTheirRepliesWithTheirErrorAndTheParticipantsReason() {
        given(participant.begin(eq("t1"), any())).willThrow(new InvalidPrepareException("the key is empty"));
        given(participant.commit(eq("t2"), anyLong())).willThrow(new UnknownTransactionException("t2"));
        given(participant.abort("t3")).willThrow(new TransactionConflictException("already COMMITTED"));

        MvcTestResult result = batch("""
                {"messages": [{"txId": "t1", "kind": "PREPARE", "prepare": {"key": "", "table": "OWN", "op": "PUT"}},
                              {"txId": "t2", "kind": "COMMIT", "version": 1},
                              {"txId": "t3", "kind": "ABORT"}]}""");

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.replies[*].error").asArray()
                .containsExactly("INVALID_REQUEST", "UNKNOWN_TRANSACTION", "TRANSACTION_DECIDED");
        assertThat(result).bodyJson().extractingPath("$.replies[*].detail").asArray()
                .containsExactly("the key is empty", "transaction t2 was never prepared here, or its outcome has expired",
                        "already COMMITTED");
    }

    @Test
    void failedLogFailsABatchedMessageWithStorageUnavailableAndNoInternals() throws Exception {
        given(participant.prepare(eq("t1"), any())).willThrow(new WalException("disk", new IOException("EIO")));

        MvcTestResult result = prepare(PUT);

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.replies[0].error").isEqualTo("STORAGE_UNAVAILABLE");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("EIO");
    }

    @Test
    void failedLogIsA503StorageUnavailableProblemWithRetryAfterAndNoInternals() throws Exception {
        given(participant.inquire("t1", false, 0)).willThrow(new WalException("disk", new IOException("EIO")));

        MvcTestResult result = mvc.post().uri("/internal/txn/t1/inquiry").exchange();

        assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5")
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:kvstore:problem:storage-unavailable");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("EIO");
    }

    @Test
    void unknownTableIsA400InvalidRequestNamingTheTables() {
        MvcTestResult result = mvc.get().uri("/internal/tables/nope").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:kvstore:problem:invalid-request");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("'own' or 'prev'");
    }

    @Test
    void oversizedBatchIsA400InvalidRequest() {
        String abort = "{\"txId\":\"t\",\"kind\":\"ABORT\"},".repeat(17);

        MvcTestResult result = batch("{\"messages\":[" + abort.substring(0, abort.length() - 1) + "]}");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:kvstore:problem:invalid-request");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("at most 16 messages");
    }

    @Test
    void unsupportedMethodIsA405Problem() {
        assertThat(mvc.delete().uri("/internal/txn/batch")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
