package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The coordinator's CBOR batches are answered before Spring MVC with what the controller would answer;
 * every other request reaches the controller, and every failure the exception handlers.
 */
class DirectTxnBatchesTest {

    private static final CBORMapper CBOR = new CBORMapper();

    private final TxnBatches batches = mock(TxnBatches.class);
    private final List<Exception> resolved = new ArrayList<>();
    private final HandlerExceptionResolver errors = (request, response, handler, e) -> {
        resolved.add(e);
        response.setStatus(((NodeErrorException) e).error().status());
        return new ModelAndView();
    };
    private final DirectTxnBatches filter = new DirectTxnBatches(batches, CBOR, errors);

    @Test
    void aCborBatchIsAnsweredHereWithTheBatchsRepliesInCbor() throws Exception {
        given(batches.handle(any())).willReturn(List.of(TxnReply.voted(Vote.yes("t1", 7))));
        MockHttpServletRequest request = batch(CBOR.writeValueAsBytes(new TxnBatch(List.of(TxnMessage.commit("t1", 5)))));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the controller is not reached").isNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo(MediaType.APPLICATION_CBOR_VALUE);
        TxnBatchReply reply = CBOR.readValue(response.getContentAsByteArray(), TxnBatchReply.class);
        assertThat(reply.replies()).singleElement().satisfies(r -> assertThat(r.vote().currentVersion()).isEqualTo(7));
    }

    @Test
    void jsonOrAnotherAcceptedFormGoesOnToTheController() throws Exception {
        MockHttpServletRequest json = batch("{\"messages\":[]}".getBytes());
        json.setContentType(MediaType.APPLICATION_JSON_VALUE);
        MockHttpServletRequest wantsJson = batch(CBOR.writeValueAsBytes(new TxnBatch(List.of())));
        wantsJson.addHeader("Accept", MediaType.APPLICATION_JSON_VALUE);
        MockHttpServletRequest cborish = batch(CBOR.writeValueAsBytes(new TxnBatch(List.of())));
        cborish.setContentType("application/cbor-seq");

        for (MockHttpServletRequest request : List.of(json, wantsJson, cborish)) {
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(request, new MockHttpServletResponse(), chain);
            assertThat(chain.getRequest()).as(request.getContentType() + " / " + request.getHeader("Accept"))
                    .isSameAs(request);
        }
        assertThat(filter.takes(batch(new byte[0]))).isTrue();
    }

    @Test
    void anUnreadableBodyIsRefusedAsAnInvalidRequestByTheExceptionHandlers() throws Exception {
        MockHttpServletResponse notCbor = new MockHttpServletResponse();
        filter.doFilter(batch(new byte[] {(byte) 0xff, 0x01}), notCbor, new MockFilterChain());
        MockHttpServletResponse noMessages = new MockHttpServletResponse();
        filter.doFilter(batch(new byte[] {(byte) 0xf6}), noMessages, new MockFilterChain()); // CBOR null

        assertThat(resolved).hasSize(2).allSatisfy(e -> assertThat(((NodeErrorException) e).error())
                .isEqualTo(NodeError.INVALID_REQUEST));
        assertThat(notCbor.getStatus()).isEqualTo(400);
        assertThat(noMessages.getStatus()).isEqualTo(400);
    }

    @Test
    void aBatchTheNodeRefusesWholeGoesToTheExceptionHandlers() throws Exception {
        given(batches.handle(any())).willThrow(new InvalidPrepareException("a batch holds at most 1024 messages"));
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(batch(CBOR.writeValueAsBytes(new TxnBatch(List.of(TxnMessage.abort("t1"))))), response,
                new MockFilterChain());

        assertThat(resolved).singleElement().isInstanceOf(InvalidPrepareException.class);
        assertThat(response.getStatus()).isEqualTo(400);
    }

    private static MockHttpServletRequest batch(byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/internal/txn/batch");
        request.setContentType(MediaType.APPLICATION_CBOR_VALUE);
        request.setContent(body);
        return request;
    }
}
