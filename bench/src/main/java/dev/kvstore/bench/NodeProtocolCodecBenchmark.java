package dev.kvstore.bench;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.model.codec.NodeProtocolModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * What the node protocol's encoding costs per 2PC batch, both ends together: the coordinator writes a
 * batch of prepares and reads the votes, the node reads the batch and writes the votes. A batch of 17
 * prepares with 100-byte values is what a node request carried under {@code bench/run}'s PUT load. JSON
 * (values in base64) against CBOR (values as byte strings), which the coordinator sends.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NodeProtocolCodecBenchmark {

    /** {@code cbor-module}: CBOR with {@link NodeProtocolModule}, as the coordinator and the nodes encode it. */
    @Param({"json", "cbor", "cbor-module"})
    String format;

    @Param({"100", "4096"})
    int valueBytes;

    private ObjectMapper mapper;
    private TxnBatch batch;
    private TxnBatchReply reply;

    @Setup
    public void setUp() {
        mapper = switch (format) {
            case "cbor" -> CBORMapper.builder().build();
            case "cbor-module" -> CBORMapper.builder().addModule(new NodeProtocolModule()).build();
            default -> JsonMapper.builder().build();
        };
        Random random = new Random(1);
        List<TxnMessage> messages = new ArrayList<>();
        List<TxnReply> replies = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            String txId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1" + (10 + i);
            messages.add(TxnMessage.prepare(txId, new PrepareRequest("hot/k" + random.nextInt(10_000), Table.OWN,
                    WriteOp.PUT, value, "text/plain", null, List.of("node-2"))));
            replies.add(TxnReply.voted(Vote.yes(txId, 1_796_284_869_767_000L)));
        }
        batch = new TxnBatch(messages);
        reply = new TxnBatchReply(replies);
    }

    /** One round: the batch encoded and decoded, its reply encoded and decoded. */
    @Benchmark
    public TxnBatchReply batchRoundTrip() {
        TxnBatch received = mapper.readValue(mapper.writeValueAsBytes(batch), TxnBatch.class);
        if (received.messages().size() != batch.messages().size()) {
            throw new AssertionError("lost messages");
        }
        return mapper.readValue(mapper.writeValueAsBytes(reply), TxnBatchReply.class);
    }

    /** The batch's size on the wire, for the report (not a timing). */
    public static void main(String[] args) {
        for (String format : List.of("json", "cbor", "cbor-module")) {
            for (int bytes : List.of(100, 4096)) {
                NodeProtocolCodecBenchmark b = new NodeProtocolCodecBenchmark();
                b.format = format;
                b.valueBytes = bytes;
                b.setUp();
                System.out.printf("%s, %d-byte values: batch %d bytes, reply %d bytes%n", format, bytes,
                        b.mapper.writeValueAsBytes(b.batch).length, b.mapper.writeValueAsBytes(b.reply).length);
            }
        }
    }
}
