package dev.kvstore.node.participant;

import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Answers the coordinator's CBOR batches ({@code POST /internal/txn/batch}) before Spring MVC, as
 * {@link TxnBatchController} would: the same replies, and a failure goes to the same exception handlers
 * ({@code HandlerExceptionResolver}), so the problem and its status are the same. The handler lookup,
 * content negotiation and argument resolution it skips cost a node more than the batch's own work. Any
 * other request (JSON, a different {@code Accept}) goes on to the controller untouched. Runs after the
 * signature check and the term fence.
 */
public final class DirectTxnBatches extends HttpFilter {

    private final TxnBatches batches;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final HandlerExceptionResolver errors;

    /** @param errors Spring MVC's resolver, which applies the {@code @RestControllerAdvice} handlers */
    public DirectTxnBatches(TxnBatches batches, CBORMapper cbor, HandlerExceptionResolver errors) {
        this.batches = batches;
        this.reader = cbor.readerFor(TxnBatch.class);
        this.writer = cbor.writerFor(TxnBatchReply.class);
        this.errors = errors;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!takes(request)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            byte[] reply = writer.writeValueAsBytes(new TxnBatchReply(batches.handle(read(request).messages())));
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_CBOR_VALUE);
            response.setContentLength(reply.length);
            response.getOutputStream().write(reply);
        } catch (RuntimeException e) {
            if (errors.resolveException(request, response, null, e) == null) {
                throw e;
            }
        }
    }

    /** A CBOR batch that asks for CBOR back (or does not say), the coordinator's only form. */
    boolean takes(HttpServletRequest request) {
        if (!request.getMethod().equals("POST") || !isCbor(request.getContentType())) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept == null || isCbor(accept);
    }

    private TxnBatch read(HttpServletRequest request) throws IOException {
        TxnBatch batch;
        try {
            batch = reader.readValue(request.getInputStream());
        } catch (JacksonException e) {
            throw new InvalidPrepareException("the body is not a batch of 2PC messages in CBOR: " + e.getOriginalMessage());
        }
        if (batch == null || batch.messages() == null) {
            throw new InvalidPrepareException("the body is not a batch: it needs a list of messages");
        }
        return batch;
    }

    private static boolean isCbor(String mediaType) {
        return mediaType != null && mediaType.regionMatches(true, 0, MediaType.APPLICATION_CBOR_VALUE, 0,
                MediaType.APPLICATION_CBOR_VALUE.length())
                && (mediaType.length() == MediaType.APPLICATION_CBOR_VALUE.length()
                || mediaType.charAt(MediaType.APPLICATION_CBOR_VALUE.length()) == ';');
    }
}
