package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.web.ProblemHandler;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The 2PC batch endpoint speaks CBOR, as the coordinator sends it: a value arrives as the bytes sent (no
 * base64 on the wire) and the replies, errors included, come back as CBOR.
 */
@WebMvcTest({TxnBatchController.class, ProblemHandler.class})
class CborBatchHttpTest {

    private static final CBORMapper CBOR = new CBORMapper();

    @Autowired
    MockMvcTester mvc;
    @MockitoBean
    TxnBatches batches;

    @Test
    void aCborBatchArrivesWithItsValueBytesAndIsAnsweredInCbor() {
        byte[] value = {0, (byte) 0xff, 'h', 'i', 0};
        AtomicReference<List<TxnMessage>> received = new AtomicReference<>();
        given(batches.handle(any())).willAnswer(call -> {
            received.set(call.getArgument(0));
            return List.of(TxnReply.voted(Vote.yes("t1", 7)), TxnReply.failed(NodeError.UNKNOWN_TRANSACTION, "never"));
        });
        byte[] body = CBOR.writeValueAsBytes(new TxnBatch(List.of(
                TxnMessage.prepare("t1", new PrepareRequest("k", Table.OWN, WriteOp.PUT, value, "application/octet-stream",
                        null, List.of("node-2"))),
                TxnMessage.commit("t0", 5))));

        MvcTestResult result = mvc.post().uri("/internal/txn/batch").contentType(MediaType.APPLICATION_CBOR)
                .accept(MediaType.APPLICATION_CBOR).content(body).exchange();

        assertThat(result).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_CBOR);
        assertThat(received.get().getFirst().prepare().value()).containsExactly(value);
        assertThat(received.get().get(1).version()).isEqualTo(5);
        TxnBatchReply reply = CBOR.readValue(result.getResponse().getContentAsByteArray(), TxnBatchReply.class);
        assertThat(reply.replies()).extracting(TxnReply::error).containsExactly(null, NodeError.UNKNOWN_TRANSACTION);
        assertThat(reply.replies().getFirst().vote().currentVersion()).isEqualTo(7);
    }
}
