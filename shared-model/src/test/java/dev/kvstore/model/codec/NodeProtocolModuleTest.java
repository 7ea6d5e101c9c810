package dev.kvstore.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The module writes and reads the documents Jackson makes of the records by reflection: each side reads
 * what the other writes to an equal record, and the documents differ only by the null fields the module
 * leaves out. Records hold a byte array, so they are compared by their documents.
 */
class NodeProtocolModuleTest {

    private static final CBORMapper PLAIN = CBORMapper.builder().build();
    private static final CBORMapper MODULE = CBORMapper.builder().addModule(new NodeProtocolModule()).build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final PrepareRequest PUT = new PrepareRequest("hot/k1", Table.OWN, WriteOp.PUT,
            "hello".getBytes(StandardCharsets.UTF_8), "text/plain", 7L, List.of("node-2"), 1_764_000_000_000_001L, false);
    private static final PrepareRequest DELETE = new PrepareRequest("k", Table.PREV, WriteOp.DELETE, null, null, null,
            List.of(), 9L, true);
    private static final TxnBatch BATCH = new TxnBatch(List.of(TxnMessage.prepare("t1", PUT),
            TxnMessage.prepare("t2", DELETE), TxnMessage.commit("t3", 12), TxnMessage.abort("t4")));
    private static final TxnBatchReply REPLY = new TxnBatchReply(List.of(
            TxnReply.voted(Vote.yes("t1", 5, 6)), TxnReply.voted(Vote.no("t2", Vote.LOCKED, 3)),
            TxnReply.voted(new Vote("t5", true, null, 0, null)),
            TxnReply.decided(new TxnStatus("t3", TxnState.COMMITTED, 12)), TxnReply.decided(TxnStatus.of("t4", TxnState.ABORTED)),
            TxnReply.failed(NodeError.STALE_TERM, "term 3 < 4")));

    @Test
    void aBatchTheModuleWritesReadsBackAsTheSameBatchWithAndWithoutTheModule() {
        byte[] written = MODULE.writeValueAsBytes(BATCH);

        assertSameDocument(MODULE.readValue(written, TxnBatch.class), BATCH);
        assertSameDocument(PLAIN.readValue(written, TxnBatch.class), BATCH);
    }

    @Test
    void aBatchWrittenByReflectionIsReadByTheModule() {
        assertSameDocument(MODULE.readValue(PLAIN.writeValueAsBytes(BATCH), TxnBatch.class), BATCH);
    }

    @Test
    void aReplyTheModuleWritesReadsBackAsTheSameReplyWithAndWithoutTheModule() {
        byte[] written = MODULE.writeValueAsBytes(REPLY);

        assertThat(MODULE.readValue(written, TxnBatchReply.class)).isEqualTo(REPLY);
        assertThat(PLAIN.readValue(written, TxnBatchReply.class)).isEqualTo(REPLY);
        assertThat(MODULE.readValue(PLAIN.writeValueAsBytes(REPLY), TxnBatchReply.class)).isEqualTo(REPLY);
    }

    @Test
    void theDocumentsDifferFromReflectionsOnlyByTheNullFieldsLeftOut() {
        assertThat(MODULE.readTree(MODULE.writeValueAsBytes(BATCH)))
                .isEqualTo(withoutNulls(PLAIN.readTree(PLAIN.writeValueAsBytes(BATCH))));
        assertThat(MODULE.readTree(MODULE.writeValueAsBytes(REPLY)))
                .isEqualTo(withoutNulls(PLAIN.readTree(PLAIN.writeValueAsBytes(REPLY))));
    }

    @Test
    void fieldsItDoesNotKnowAreSkipped() {
        byte[] newer = PLAIN.writeValueAsBytes(Map.of("messages", List.of(Map.of("txId", "t1", "kind", "ABORT",
                "priority", Map.of("level", List.of(1, 2)))), "sentAt", 12));

        assertThat(MODULE.readValue(newer, TxnBatch.class)).isEqualTo(new TxnBatch(List.of(TxnMessage.abort("t1"))));
    }

    @Test
    void whatIsNotABatchIsRefusedAsInputNotAsAFailure() {
        assertThatThrownBy(() -> MODULE.readValue(PLAIN.writeValueAsBytes(Map.of("messages", List.of(
                Map.of("txId", "t1", "kind", "SHOUT")))), TxnBatch.class)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("SHOUT");
        assertThatThrownBy(() -> MODULE.readValue(PLAIN.writeValueAsBytes(Map.of("messages", List.of("t1"))),
                TxnBatch.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MODULE.readValue(PLAIN.writeValueAsBytes(List.of(1)), TxnBatch.class))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MODULE.readValue(PLAIN.writeValueAsBytes(Map.of("messages", 5)), TxnBatch.class))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MODULE.readValue(PLAIN.writeValueAsBytes(Map.of("messages", List.of(Map.of("txId", "t1",
                "kind", "PREPARE", "prepare", Map.of("key", "k", "peers", List.of(Map.of("id", "node-2"))))))),
                TxnBatch.class)).isInstanceOf(JacksonException.class).hasMessageContaining("VALUE_STRING");
    }

    /** As JSON, where bytes travel as base64: equal documents mean equal records, the value included. */
    private static void assertSameDocument(Object actual, Object expected) {
        assertThat(JSON.writeValueAsString(actual)).isEqualTo(JSON.writeValueAsString(expected));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNull()) {
                    it.remove();
                } else {
                    withoutNulls(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(NodeProtocolModuleTest::withoutNulls);
        }
        return node;
    }
}
