package dev.kvstore.coordinator.txn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnMessage;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Fake nodes' side of the 2PC batch endpoint for WireMock: the coordinator sends CBOR, so requests are
 * matched by decoding their first message. Replies are written here as JSON and sent as CBOR, as nodes answer.
 */
final class NodeBatchStubs {

    static final String BATCH = "/internal/txn/batch";
    static final String YES = """
            {"replies": [{"vote": {"txId": "t", "yes": true, "reason": null, "currentVersion": %d}}]}""";
    static final String DECIDED = """
            {"replies": [{"outcome": {"txId": "t", "state": "%s", "version": 1}}]}""";

    private static final CBORMapper CBOR = new CBORMapper();
    private static final JsonMapper JSON = new JsonMapper();

    private NodeBatchStubs() {
    }

    static String no(String reason, long currentVersion) {
        return """
                {"replies": [{"vote": {"txId": "t", "yes": false, "reason": "%s", "currentVersion": %d}}]}"""
                .formatted(reason, currentVersion);
    }

    /** A 200 carrying {@code json}'s document as CBOR. */
    static ResponseDefinitionBuilder okCbor(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/cbor")
                .withBody(CBOR.writeValueAsBytes(JSON.readTree(json)));
    }

    static MappingBuilder batchOf(String kind) {
        return post(urlEqualTo(BATCH)).andMatching(first(m -> m.kind().name().equals(kind)));
    }

    static MappingBuilder batchWhere(Predicate<TxnMessage> first) {
        return post(urlEqualTo(BATCH)).andMatching(first(first));
    }

    static RequestPatternBuilder sentOf(String kind) {
        return sentWhere(m -> m.kind().name().equals(kind));
    }

    static RequestPatternBuilder sentWhere(Predicate<TxnMessage> first) {
        return postRequestedFor(urlEqualTo(BATCH)).andMatching(first(first));
    }

    static int sent(WireMockServer node, String kind) {
        return node.countRequestsMatching(sentOf(kind).build()).getCount();
    }

    private static ValueMatcher<Request> first(Predicate<TxnMessage> matches) {
        return request -> {
            TxnBatch batch = CBOR.readValue(request.getBody(), TxnBatch.class);
            return MatchResult.of(!batch.messages().isEmpty() && matches.test(batch.messages().getFirst()));
        };
    }
}
