package dev.kvstore.coordinator.nodeclient;

import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.KeyRead;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.ReadBatch;
import dev.kvstore.model.ReadBatchReply;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The node protocol over HTTP: batches of two-phase-commit messages ({@code POST /internal/txn/batch})
 * and of reads ({@code POST /internal/kv/batch}) as CBOR, where values travel as bytes. The batches are
 * encoded and decoded here, with the app's CBOR mapper (and its {@code NodeProtocolModule}), and travel
 * as bytes, so no message converter is looked up for them on every call. Every call is
 * idempotent, so one that fails on I/O other than a timeout is sent once more: a pooled keep-alive
 * connection the node closed while idle fails the first attempt without the node ever seeing the
 * request ("received no bytes"), and the retry opens a fresh one. A whole request the node refuses
 * names its {@link NodeError} as the problem's type.
 */
public final class HttpNodeTransport implements BatchingNodeClient.Transport {

    private static final MediaType CBOR = MediaType.APPLICATION_CBOR;

    private final RestClient http;
    private final ObjectWriter txnBatches;
    private final ObjectReader txnReplies;
    private final ObjectWriter readBatches;
    private final ObjectReader readReplies;
    /** Each node's two batch endpoints, parsed once instead of on every call. */
    private final ConcurrentHashMap<String, Endpoints> endpoints = new ConcurrentHashMap<>();

    /**
     * @param http a client with connect and read timeouts and no base URL
     * @param cbor the mapper the batches are encoded with
     */
    public HttpNodeTransport(RestClient http, CBORMapper cbor) {
        this.http = http;
        this.txnBatches = cbor.writerFor(TxnBatch.class);
        this.txnReplies = cbor.readerFor(TxnBatchReply.class);
        this.readBatches = cbor.writerFor(ReadBatch.class);
        this.readReplies = cbor.readerFor(ReadBatchReply.class);
    }

    @Override
    public List<TxnReply> sendTxns(String url, List<TxnMessage> batch) {
        byte[] body = txnBatches.writeValueAsBytes(new TxnBatch(batch));
        TxnBatchReply reply = decode(url, txnReplies, call(url, "a batch of " + batch.size() + " 2PC messages",
                () -> http.post().uri(endpoints(url).txns()).contentType(CBOR).accept(CBOR).body(body)
                        .retrieve().body(byte[].class)));
        return reply == null ? List.of() : reply.replies();
    }

    @Override
    public List<ReadReply> readMany(String url, List<KeyRead> batch) {
        byte[] body = readBatches.writeValueAsBytes(new ReadBatch(batch));
        ReadBatchReply reply = decode(url, readReplies, call(url, "a batch of " + batch.size() + " reads",
                () -> http.post().uri(endpoints(url).reads()).contentType(CBOR).accept(CBOR).body(body)
                        .retrieve().body(byte[].class)));
        return reply == null ? List.of() : reply.replies();
    }

    /** A reply the node sent but that cannot be read is the node failing, as an unreadable reply was before. */
    private static <T> T decode(String url, ObjectReader reader, byte[] reply) {
        if (reply == null || reply.length == 0) {
            return null;
        }
        try {
            return reader.readValue(reply);
        } catch (JacksonException e) {
            throw new NodeUnavailableException(url, "node at " + url + " answered what is not a batch reply: "
                    + e.getOriginalMessage(), e);
        }
    }

    private Endpoints endpoints(String url) {
        return endpoints.computeIfAbsent(url, node -> new Endpoints(URI.create(node + "/internal/txn/batch"),
                URI.create(node + "/internal/kv/batch")));
    }

    private record Endpoints(URI txns, URI reads) {
    }

    /** The node's transactions in doubt, for an operator to settle; not part of 2PC. */
    public List<InDoubtTransaction> inDoubt(String url) {
        InDoubtTransaction[] inDoubt = call(url, "the list of transactions in doubt",
                () -> http.get().uri(url + "/internal/txn").retrieve().body(InDoubtTransaction[].class));
        return inDoubt == null ? List.of() : List.of(inDoubt);
    }

    private static <T> T call(String url, String what, Supplier<T> request) {
        try {
            try {
                return request.get();
            } catch (ResourceAccessException e) {
                if (e.getCause() instanceof InterruptedIOException || e.getCause() instanceof HttpTimeoutException) {
                    throw e;
                }
                return request.get();
            }
        } catch (RestClientResponseException e) {
            throw NodeFailures.of(url, error(e), what + ": " + e.getStatusCode() + " " + e.getResponseBodyAsString());
        } catch (RestClientException e) {
            throw new NodeUnavailableException(url, "node at " + url + " unreachable: " + e.getMessage(), e);
        }
    }

    /** The node's error from the problem's type; a refusal without one (Spring's own, a proxy's) by its status. */
    private static NodeError error(RestClientResponseException e) {
        NodeError error = null;
        try {
            ProblemDetail problem = e.getResponseBodyAs(ProblemDetail.class);
            error = problem == null || problem.getType() == null ? null : NodeError.ofType(problem.getType().toString());
        } catch (RuntimeException unreadable) {
            // not a problem document: the status decides
        }
        if (error != null) {
            return error;
        }
        int status = e.getStatusCode().value();
        return status == 421 ? NodeError.WRONG_NODE : status >= 500 || status == 404 ? NodeError.INTERNAL
                : NodeError.INVALID_REQUEST;
    }
}
