package dev.kvstore.model.codec;

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
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * The two-phase-commit batch and its reply written and read field by field, for the mapper that carries
 * them between coordinator and nodes on every write. It gives the same document Jackson makes of the
 * records by reflection (same names, same order, enums by name, values as binary), except that absent
 * fields are left out rather than written as null, which any reader of the records takes the same way;
 * and it reads what either writes, skipping fields it does not know. Reflection cost a fifth of the
 * coordinator's CPU and a quarter of a node's under a write load: a record's constructor called through a
 * spread method handle, each accessor looked up and invoked, each record checked for being one.
 */
public final class NodeProtocolModule extends SimpleModule {

    public NodeProtocolModule() {
        super("kvstore-node-protocol");
        addSerializer(TxnBatch.class, writer(TxnBatch.class, NodeProtocolModule::writeBatch));
        addSerializer(TxnMessage.class, writer(TxnMessage.class, NodeProtocolModule::writeMessage));
        addSerializer(PrepareRequest.class, writer(PrepareRequest.class, NodeProtocolModule::writePrepare));
        addSerializer(TxnBatchReply.class, writer(TxnBatchReply.class, NodeProtocolModule::writeBatchReply));
        addSerializer(TxnReply.class, writer(TxnReply.class, NodeProtocolModule::writeReply));
        addSerializer(Vote.class, writer(Vote.class, NodeProtocolModule::writeVote));
        addSerializer(TxnStatus.class, writer(TxnStatus.class, NodeProtocolModule::writeStatus));
        addDeserializer(TxnBatch.class, reader(TxnBatch.class, NodeProtocolModule::readBatch));
        addDeserializer(TxnMessage.class, reader(TxnMessage.class, NodeProtocolModule::readMessage));
        addDeserializer(PrepareRequest.class, reader(PrepareRequest.class, NodeProtocolModule::readPrepare));
        addDeserializer(TxnBatchReply.class, reader(TxnBatchReply.class, NodeProtocolModule::readBatchReply));
        addDeserializer(TxnReply.class, reader(TxnReply.class, NodeProtocolModule::readReply));
        addDeserializer(Vote.class, reader(Vote.class, NodeProtocolModule::readVote));
        addDeserializer(TxnStatus.class, reader(TxnStatus.class, NodeProtocolModule::readStatus));
    }

    // ---- writing --------------------------------------------------------------------------

    private static void writeBatch(TxnBatch batch, JsonGenerator out) {
        writeWrapped(out, "messages", batch.messages(), NodeProtocolModule::writeMessage);
    }

    private static void writeMessage(TxnMessage message, JsonGenerator out) {
        out.writeStartObject();
        writeString(out, "txId", message.txId());
        writeEnum(out, "kind", message.kind());
        if (message.prepare() != null) {
            out.writeName("prepare");
            writePrepare(message.prepare(), out);
        }
        writeLong(out, "version", message.version());
        out.writeEndObject();
    }

    private static void writePrepare(PrepareRequest prepare, JsonGenerator out) {
        out.writeStartObject();
        writeString(out, "key", prepare.key());
        writeEnum(out, "table", prepare.table());
        writeEnum(out, "op", prepare.op());
        if (prepare.value() != null) {
            out.writeBinaryProperty("value", prepare.value());
        }
        writeString(out, "contentType", prepare.contentType());
        writeLong(out, "expectedVersion", prepare.expectedVersion());
        out.writeName("peers");
        out.writeStartArray();
        for (String peer : prepare.peers()) {
            out.writeString(peer);
        }
        out.writeEndArray();
        out.writeNumberProperty("version", prepare.version());
        out.writeBooleanProperty("mustExist", prepare.mustExist());
        out.writeEndObject();
    }

    private static void writeBatchReply(TxnBatchReply reply, JsonGenerator out) {
        writeWrapped(out, "replies", reply.replies(), NodeProtocolModule::writeReply);
    }

    /** A batch or its reply: an object whose one field is the list. */
    private static <T> void writeWrapped(JsonGenerator out, String field, List<T> list, Writer<T> element) {
        out.writeStartObject();
        out.writeName(field);
        out.writeStartArray();
        for (T one : list) {
            element.write(one, out);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void writeReply(TxnReply reply, JsonGenerator out) {
        out.writeStartObject();
        if (reply.vote() != null) {
            out.writeName("vote");
            writeVote(reply.vote(), out);
        }
        if (reply.outcome() != null) {
            out.writeName("outcome");
            writeStatus(reply.outcome(), out);
        }
        writeEnum(out, "error", reply.error());
        writeString(out, "detail", reply.detail());
        out.writeEndObject();
    }

    private static void writeVote(Vote vote, JsonGenerator out) {
        out.writeStartObject();
        writeString(out, "txId", vote.txId());
        out.writeBooleanProperty("yes", vote.yes());
        writeString(out, "reason", vote.reason());
        out.writeNumberProperty("currentVersion", vote.currentVersion());
        writeLong(out, "seenVersion", vote.seenVersion());
        out.writeEndObject();
    }

    private static void writeStatus(TxnStatus status, JsonGenerator out) {
        out.writeStartObject();
        writeString(out, "txId", status.txId());
        writeEnum(out, "state", status.state());
        out.writeNumberProperty("version", status.version());
        out.writeEndObject();
    }

    private static void writeString(JsonGenerator out, String name, String value) {
        if (value != null) {
            out.writeStringProperty(name, value);
        }
    }

    private static void writeEnum(JsonGenerator out, String name, Enum<?> value) {
        if (value != null) {
            out.writeStringProperty(name, value.name());
        }
    }

    private static void writeLong(JsonGenerator out, String name, Long value) {
        if (value != null) {
            out.writeNumberProperty(name, value);
        }
    }

    // ---- reading --------------------------------------------------------------------------

    private static TxnBatch readBatch(JsonParser in) {
        return new TxnBatch(readWrapped(in, "messages", NodeProtocolModule::readMessage));
    }

    private static TxnMessage readMessage(JsonParser in) {
        String txId = null;
        TxnMessage.Kind kind = null;
        PrepareRequest prepare = null;
        Long version = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            switch (name) {
                case "txId" -> txId = string(in, token);
                case "kind" -> kind = named(in, token, TxnMessage.Kind.class);
                case "prepare" -> prepare = object(in, token, NodeProtocolModule::readPrepare);
                case "version" -> version = longOrNull(in, token);
                default -> in.skipChildren();
            }
        }
        return new TxnMessage(txId, kind, prepare, version);
    }

    private static PrepareRequest readPrepare(JsonParser in) {
        String key = null;
        Table table = null;
        WriteOp op = null;
        byte[] value = null;
        String contentType = null;
        Long expectedVersion = null;
        List<String> peers = null;
        Long version = null;
        Boolean mustExist = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            switch (name) {
                case "key" -> key = string(in, token);
                case "table" -> table = named(in, token, Table.class);
                case "op" -> op = named(in, token, WriteOp.class);
                case "value" -> value = token == JsonToken.VALUE_NULL ? null : in.getBinaryValue();
                case "contentType" -> contentType = string(in, token);
                case "expectedVersion" -> expectedVersion = longOrNull(in, token);
                case "peers" -> peers = readList(in, token, JsonToken.VALUE_STRING, JsonParser::getString);
                case "version" -> version = longOrNull(in, token);
                case "mustExist" -> mustExist = token == JsonToken.VALUE_NULL ? null : in.getBooleanValue();
                default -> in.skipChildren();
            }
        }
        return new PrepareRequest(key, table, op, value, contentType, expectedVersion, peers, version, mustExist);
    }

    private static TxnBatchReply readBatchReply(JsonParser in) {
        return new TxnBatchReply(readWrapped(in, "replies", NodeProtocolModule::readReply));
    }

    /** The list of objects in a batch or its reply (null when absent); other fields are skipped. */
    private static <T> List<T> readWrapped(JsonParser in, String field, Reader<T> element) {
        List<T> list = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            if (name.equals(field)) {
                list = readList(in, token, JsonToken.START_OBJECT, element);
            } else {
                in.skipChildren();
            }
        }
        return list;
    }

    private static TxnReply readReply(JsonParser in) {
        Vote vote = null;
        TxnStatus outcome = null;
        NodeError error = null;
        String detail = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            switch (name) {
                case "vote" -> vote = object(in, token, NodeProtocolModule::readVote);
                case "outcome" -> outcome = object(in, token, NodeProtocolModule::readStatus);
                case "error" -> error = named(in, token, NodeError.class);
                case "detail" -> detail = string(in, token);
                default -> in.skipChildren();
            }
        }
        return new TxnReply(vote, outcome, error, detail);
    }

    private static Vote readVote(JsonParser in) {
        String txId = null;
        boolean yes = false;
        String reason = null;
        long currentVersion = 0;
        Long seenVersion = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            switch (name) {
                case "txId" -> txId = string(in, token);
                case "yes" -> yes = token != JsonToken.VALUE_NULL && in.getBooleanValue();
                case "reason" -> reason = string(in, token);
                case "currentVersion" -> currentVersion = token == JsonToken.VALUE_NULL ? 0 : in.getLongValue();
                case "seenVersion" -> seenVersion = longOrNull(in, token);
                default -> in.skipChildren();
            }
        }
        return new Vote(txId, yes, reason, currentVersion, seenVersion);
    }

    private static TxnStatus readStatus(JsonParser in) {
        String txId = null;
        TxnState state = null;
        long version = 0;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken token = in.nextToken();
            switch (name) {
                case "txId" -> txId = string(in, token);
                case "state" -> state = named(in, token, TxnState.class);
                case "version" -> version = token == JsonToken.VALUE_NULL ? 0 : in.getLongValue();
                default -> in.skipChildren();
            }
        }
        return new TxnStatus(txId, state, version);
    }

    /** A nested object, or null; the parser is on its START_OBJECT (or null) and ends on its END_OBJECT. */
    private static <T> T object(JsonParser in, JsonToken token, Reader<T> reader) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(in, token, JsonToken.START_OBJECT);
        return reader.read(in);
    }

    /** A list whose every element starts with {@code first} (an object, or a string), or null. */
    private static <T> List<T> readList(JsonParser in, JsonToken token, JsonToken first, Reader<T> element) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(in, token, JsonToken.START_ARRAY);
        List<T> list = new ArrayList<>();
        for (JsonToken next = in.nextToken(); next != JsonToken.END_ARRAY; next = in.nextToken()) {
            expect(in, next, first);
            list.add(element.read(in));
        }
        return list;
    }

    private static String string(JsonParser in, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(in, token, JsonToken.VALUE_STRING);
        return in.getString();
    }

    private static Long longOrNull(JsonParser in, JsonToken token) {
        return token == JsonToken.VALUE_NULL ? null : in.getLongValue();
    }

    private static <E extends Enum<E>> E named(JsonParser in, JsonToken token, Class<E> type) {
        String name = string(in, token);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw MismatchedInputException.from(in, type, "not a " + type.getSimpleName() + ": " + name);
        }
    }

    private static void expect(JsonParser in, JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw MismatchedInputException.from(in, Object.class, "expected " + expected + ", found " + token);
        }
    }

    // ---- plumbing -------------------------------------------------------------------------

    @FunctionalInterface
    private interface Writer<T> {
        void write(T value, JsonGenerator out);
    }

    /** Reads the value whose first token the parser is on (an object's START_OBJECT: up to its END_OBJECT). */
    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonParser in);
    }

    private static <T> ValueSerializer<T> writer(Class<T> type, Writer<T> writer) {
        return new ValueSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator out, SerializationContext context) {
                writer.write(value, out);
            }

            @Override
            public Class<?> handledType() {
                return type;
            }
        };
    }

    private static <T> ValueDeserializer<T> reader(Class<T> type, Reader<T> reader) {
        return new ValueDeserializer<>() {
            @Override
            public T deserialize(JsonParser in, DeserializationContext context) {
                expect(in, in.currentToken(), JsonToken.START_OBJECT);
                try {
                    return reader.read(in);
                } catch (NullPointerException | IllegalArgumentException invalid) {
                    // A record's constructor refused what was read (a null in a list, say).
                    throw MismatchedInputException.from(in, type, "not a valid " + type.getSimpleName() + ": "
                            + invalid.getMessage());
                }
            }

            @Override
            public Class<?> handledType() {
                return type;
            }
        };
    }
}
