package dev.kvstore.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies of the node's batch endpoints ({@code POST /internal/txn/batch}, {@code POST /internal/kv/batch})
 * holding one message, as a test calling a node over HTTP sends them, and the one reply they get back.
 * Values are text/plain, base64 in JSON.
 */
public final class BatchJson {

    private static final JsonMapper json = JsonMapper.builder().build();

    private BatchJson() {
    }

    /** A batch of one PREPARE of {@code key} in the OWN table; {@code value} null for a DELETE. */
    public static String prepare(String txId, String key, String op, String value) {
        Map<String, Object> write = new LinkedHashMap<>();
        write.put("key", key);
        write.put("table", "OWN");
        write.put("op", op);
        write.put("value", value == null ? null : Base64.getEncoder().encodeToString(value.getBytes(UTF_8)));
        write.put("contentType", "text/plain");
        write.put("peers", List.of());
        return messages(Map.of("txId", txId, "kind", "PREPARE", "prepare", write));
    }

    public static String put(String txId, String key, String value) {
        return prepare(txId, key, "PUT", value);
    }

    public static String commit(String txId, long version) {
        return messages(Map.of("txId", txId, "kind", "COMMIT", "version", version));
    }

    /** A batch of one read of {@code key} in {@code table} (OWN or PREV). */
    public static String read(String table, String key) {
        return reads(table, List.of(key));
    }

    /** A batch of reads of {@code keys}, in order, in {@code table} (OWN or PREV). */
    public static String reads(String table, List<String> keys) {
        return json.writeValueAsString(Map.of("reads", keys.stream().map(key -> Map.of("table", table, "key", key))
                .toList()));
    }

    /** The reply to a batch of one; fails unless the batch was answered with exactly one. */
    public static JsonNode reply(String body) {
        return replies(body, 1).get(0);
    }

    /** The replies to a batch; fails unless the batch was answered with {@code count}. */
    public static JsonNode replies(String body, int count) {
        JsonNode replies = json.readTree(body).path("replies");
        assertThat(replies.size()).as("replies in %s", body).isEqualTo(count);
        return replies;
    }

    /** A read reply's value as text; null when the reply has none. */
    public static String value(JsonNode readReply) {
        JsonNode value = readReply.path("value");
        return value.isString() ? new String(Base64.getDecoder().decode(value.asString()), UTF_8) : null;
    }

    private static String messages(Map<String, Object> message) {
        return json.writeValueAsString(Map.of("messages", List.of(message)));
    }
}
