package dev.kvstore.coordinator.nodeclient;

import dev.kvstore.model.CoordinatorTerm;
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
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The node protocol over HTTP: batches of two-phase-commit messages ({@code POST /internal/txn/batch})
 * and of reads ({@code POST /internal/kv/batch}) as CBOR, where values travel as bytes. They are the
 * coordinator's hottest calls, so they go straight to the pooled Apache client, encoded and decoded
 * here with the app's CBOR mapper (and its {@code NodeProtocolModule}): no RestClient, interceptor chain
 * or message converter per call. What every call to a node carries and reports (term, node id,
 * signature, a later term, a refused connection) comes from the same {@link NodeCallHooks} that the
 * coordinator's RestClient calls to nodes use.
 *
 * <p>Every call is idempotent, so one that fails on I/O other than a timeout is sent once more: a pooled
 * keep-alive connection the node closed while idle fails the first attempt without the node ever seeing
 * the request ("received no bytes"), and the retry opens a fresh one. A whole request the node refuses
 * names its {@link NodeError} as the problem's type.
 */
public final class HttpNodeTransport implements BatchingNodeClient.Transport {

    private static final ContentType CBOR = ContentType.create("application/cbor");
    private static final String JSON = "application/json";
    private static final byte[] NO_BODY = new byte[0];

    private final CloseableHttpClient http;
    private final NodeCallHooks hooks;
    private final ObjectWriter txnBatches;
    private final ObjectReader txnReplies;
    private final ObjectWriter readBatches;
    private final ObjectReader readReplies;
    private final ObjectReader inDoubtLists;
    private final CBORMapper cbor;
    private final JsonMapper json;
    /** Each node's endpoints, parsed once instead of on every call. */
    private final ConcurrentHashMap<String, Endpoints> endpoints = new ConcurrentHashMap<>();

    /**
     * @param http  a pooled client whose requests time out (connecting, leasing a connection, reading)
     * @param hooks what every call carries and reports
     * @param cbor  the mapper the batches are encoded with
     * @param json  the mapper for the JSON the node answers to operators' calls and in its problems
     */
    public HttpNodeTransport(CloseableHttpClient http, NodeCallHooks hooks, CBORMapper cbor, JsonMapper json) {
        this.http = http;
        this.hooks = hooks;
        this.cbor = cbor;
        this.json = json;
        this.txnBatches = cbor.writerFor(TxnBatch.class);
        this.txnReplies = cbor.readerFor(TxnBatchReply.class);
        this.readBatches = cbor.writerFor(ReadBatch.class);
        this.readReplies = cbor.readerFor(ReadBatchReply.class);
        this.inDoubtLists = json.readerFor(InDoubtTransaction[].class);
    }

    @Override
    public List<TxnReply> sendTxns(String url, List<TxnMessage> batch) {
        byte[] body = txnBatches.writeValueAsBytes(new TxnBatch(batch));
        TxnBatchReply reply = decode(url, txnReplies,
                exchange(url, endpoints(url).txns(), body, "a batch of " + batch.size() + " 2PC messages"));
        return reply == null ? List.of() : reply.replies();
    }

    @Override
    public List<ReadReply> readMany(String url, List<KeyRead> batch) {
        byte[] body = readBatches.writeValueAsBytes(new ReadBatch(batch));
        ReadBatchReply reply = decode(url, readReplies,
                exchange(url, endpoints(url).reads(), body, "a batch of " + batch.size() + " reads"));
        return reply == null ? List.of() : reply.replies();
    }

    /** The node's transactions in doubt, for an operator to settle; not part of 2PC. */
    public List<InDoubtTransaction> inDoubt(String url) {
        InDoubtTransaction[] inDoubt = decode(url, inDoubtLists,
                exchange(url, endpoints(url).inDoubt(), null, "the list of transactions in doubt"));
        return inDoubt == null ? List.of() : List.of(inDoubt);
    }

    /** A reply the node sent but that cannot be read is the node failing, as an unreadable reply was before. */
    private static <T> T decode(String url, ObjectReader reader, byte[] reply) {
        if (reply.length == 0) {
            return null;
        }
        try {
            return reader.readValue(reply);
        } catch (JacksonException e) {
            throw new NodeUnavailableException(url, "node at " + url + " answered what is not the reply it was asked for: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** POSTs {@code body} as CBOR (GETs when null) and returns the answer's body, sending it twice at most. */
    private byte[] exchange(String url, URI endpoint, byte[] body, String what) {
        Answer answer;
        try {
            try {
                answer = attempt(endpoint, body);
            } catch (InterruptedIOException timedOut) {
                throw timedOut;
            } catch (IOException e) {
                answer = attempt(endpoint, body);
            }
        } catch (IOException e) {
            throw new NodeUnavailableException(url, "node at " + url + " unreachable: " + e.getMessage(), e);
        }
        if (answer.status() >= 300) {
            throw NodeFailures.of(url, error(answer), what + ": " + answer.status() + " " + answer.text());
        }
        return answer.body();
    }

    private Answer attempt(URI endpoint, byte[] body) throws IOException {
        URI target = hooks.target(endpoint);
        HttpUriRequestBase request = body == null ? new HttpGet(target) : new HttpPost(target);
        request.setHeader(HttpHeaders.ACCEPT, body == null ? JSON : CBOR.getMimeType());
        String authorization = hooks.authorization(request.getMethod(), target, body == null ? NO_BODY : body);
        if (authorization != null) {
            request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, CBOR));
        }
        Answer answer;
        try {
            answer = http.execute(request, response -> {
                HttpEntity entity = response.getEntity();
                Header term = response.getFirstHeader(CoordinatorTerm.CURRENT_TERM_HEADER);
                return new Answer(response.getCode(), entity == null ? null : entity.getContentType(),
                        term == null ? null : term.getValue(), entity == null ? NO_BODY : EntityUtils.toByteArray(entity));
            });
        } catch (ConnectException e) {
            hooks.refused(endpoint);
            throw e;
        }
        hooks.answered(answer.status(), answer.currentTerm());
        return answer;
    }

    /** The node's error from the problem's type; a refusal without one (Spring's own, a proxy's) by its status. */
    private NodeError error(Answer answer) {
        NodeError error = null;
        try {
            JsonNode problem = answer.contentType() != null && answer.contentType().contains("cbor")
                    ? cbor.readTree(answer.body()) : json.readTree(answer.body());
            error = problem == null ? null : NodeError.ofType(problem.path("type").asString(null));
        } catch (JacksonException unreadable) {
            // not a problem document: the status decides
        }
        if (error != null) {
            return error;
        }
        int status = answer.status();
        return status == 421 ? NodeError.WRONG_NODE : status >= 500 || status == 404 ? NodeError.INTERNAL
                : NodeError.INVALID_REQUEST;
    }

    private Endpoints endpoints(String url) {
        return endpoints.computeIfAbsent(url, node -> new Endpoints(URI.create(node + "/internal/txn/batch"),
                URI.create(node + "/internal/kv/batch"), URI.create(node + "/internal/txn")));
    }

    private record Endpoints(URI txns, URI reads, URI inDoubt) {
    }

    /** What the node answered; the body read whole, so the connection goes back to the pool. */
    private record Answer(int status, String contentType, String currentTerm, byte[] body) {

        /** The body for a message: a problem is JSON; anything else is only sized. */
        String text() {
            return contentType != null && contentType.contains("json")
                    ? new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8)
                    : "(" + body.length + " bytes of " + contentType + ")";
        }
    }
}
