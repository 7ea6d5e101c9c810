package dev.kvstore.coordinator.txn;

import dev.kvstore.model.CommitRequest;
import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.KeyRead;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.ReadBatch;
import dev.kvstore.model.ReadBatchReply;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.Vote;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The node API over HTTP. Every call is idempotent, so one that fails on I/O other than a timeout is
 * sent once more: a pooled keep-alive connection the node closed while idle fails the first attempt
 * without the node ever seeing the request ("received no bytes"), and the retry opens a fresh one.
 *
 * <p>The coordinator sends through the batch endpoints ({@link #sendTxns}, {@link #readMany}) behind a
 * {@link BatchingParticipantClient}; the single calls make this a complete unbatched client too, the
 * one {@code TwoPhaseCommitHttpTest} drives the protocol's failure handling through.
 */
public final class HttpParticipantClient implements ParticipantClient, BatchingParticipantClient.Transport {

    private final RestClient http;

    /** @param http a client with connect and read timeouts and no base URL */
    public HttpParticipantClient(RestClient http) {
        this.http = http;
    }

    @Override
    public Vote prepare(String url, String txId, PrepareRequest request) {
        return call(url, () -> http.post().uri(url + "/internal/txn/{txId}/prepare", txId)
                .contentType(MediaType.APPLICATION_JSON).body(request).retrieve().body(Vote.class));
    }

    @Override
    public void commit(String url, String txId, long version) {
        call(url, () -> http.post().uri(url + "/internal/txn/{txId}/commit", txId)
                .contentType(MediaType.APPLICATION_JSON).body(new CommitRequest(version)).retrieve().toBodilessEntity());
    }

    @Override
    public void abort(String url, String txId) {
        call(url, () -> http.post().uri(url + "/internal/txn/{txId}/abort", txId).retrieve().toBodilessEntity());
    }

    /** The node's transactions in doubt, for an operator to settle; not part of 2PC. */
    public List<InDoubtTransaction> inDoubt(String url) {
        InDoubtTransaction[] inDoubt = call(url, () -> http.get().uri(url + "/internal/txn").retrieve()
                .body(InDoubtTransaction[].class));
        return inDoubt == null ? List.of() : List.of(inDoubt);
    }

    @Override
    public List<TxnReply> sendTxns(String url, List<TxnMessage> batch) {
        TxnBatchReply reply = call(url, () -> http.post().uri(url + "/internal/txn/batch")
                .contentType(MediaType.APPLICATION_JSON).body(new TxnBatch(batch)).retrieve().body(TxnBatchReply.class));
        return reply == null ? List.of() : reply.replies();
    }

    @Override
    public List<ReadReply> readMany(String url, List<KeyRead> batch) {
        ReadBatchReply reply = call(url, () -> http.post().uri(url + "/internal/kv/batch")
                .contentType(MediaType.APPLICATION_JSON).body(new ReadBatch(batch)).retrieve().body(ReadBatchReply.class));
        return reply == null ? List.of() : reply.replies();
    }

    @Override
    public Optional<NodeValue> read(String url, Table table, String key) {
        return call(url, () -> {
            try {
                ResponseEntity<byte[]> response = http.get()
                        .uri(url + "/internal/kv?table={table}&key={key}", table.name().toLowerCase(Locale.ROOT), key)
                        .retrieve().toEntity(byte[].class);
                byte[] body = response.getBody() == null ? new byte[0] : response.getBody();
                MediaType type = response.getHeaders().getContentType();
                return Optional.of(new NodeValue(body, type == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE
                        : type.toString(), version(response.getHeaders())));
            } catch (HttpClientErrorException.NotFound absent) {
                return Optional.empty();
            } catch (HttpClientErrorException.Conflict inDoubt) {
                // A transaction in doubt holds the key there: its value may be stale; the caller reads elsewhere.
                throw new NodeUnavailableException(url, "node at " + url + " holds the key in doubt", inDoubt);
            }
        });
    }

    private static long version(HttpHeaders headers) {
        String etag = headers.getETag();
        if (etag == null) {
            throw new RestClientException("node answered without an ETag");
        }
        return Long.parseLong(etag.replace("W/", "").replace("\"", ""));
    }

    private static <T> T call(String url, Supplier<T> request) {
        try {
            try {
                return request.get();
            } catch (ResourceAccessException e) {
                if (e.getCause() instanceof InterruptedIOException || e.getCause() instanceof HttpTimeoutException) {
                    throw e;
                }
                return request.get();
            }
        } catch (HttpServerErrorException e) {
            throw new NodeUnavailableException(url, "node at " + url + " answered " + e.getStatusCode(), e);
        } catch (HttpClientErrorException e) {
            if (e.getStatusCode().value() == 404) {
                throw new NodeUnavailableException(url, "node at " + url + " does not know the transaction", e);
            }
            if (e.getStatusCode().value() == 421) {
                throw new NodeUnavailableException(url, "another node answers at " + url + " now", e);
            }
            throw new NodeRejectedException("node at " + url + " refused: " + e.getStatusCode() + " "
                    + e.getResponseBodyAsString());
        } catch (RestClientException e) {
            throw new NodeUnavailableException(url, "node at " + url + " unreachable: " + e.getMessage(), e);
        }
    }
}
