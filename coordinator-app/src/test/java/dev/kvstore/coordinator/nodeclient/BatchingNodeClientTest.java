package dev.kvstore.coordinator.nodeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.KeyRead;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each message's reply in a batch reaches its own caller, and its NodeError becomes the caller's failure. */
class BatchingNodeClientTest {

    private static final String NODE = "http://node-a";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        executor.close();
    }

    private BatchingNodeClient client() {
        return new BatchingNodeClient(new BatchingNodeClient.Transport() {
            @Override
            public List<TxnReply> sendTxns(String url, List<TxnMessage> batch) {
                return batch.stream().map(BatchingNodeClientTest::txnReply).toList();
            }

            @Override
            public List<ReadReply> readMany(String url, List<KeyRead> batch) {
                return batch.stream().map(BatchingNodeClientTest::readReply).toList();
            }
        }, executor, 2, 256, 1 << 20, Duration.ZERO);
    }

    private static TxnReply txnReply(TxnMessage m) {
        return switch (m.txId()) {
            case "t404" -> TxnReply.failed(NodeError.UNKNOWN_TRANSACTION, "never prepared");
            case "t503" -> TxnReply.failed(NodeError.STORAGE_UNAVAILABLE, "log down");
            case "t409" -> TxnReply.failed(NodeError.TRANSACTION_DECIDED, "already committed");
            default -> m.kind() == TxnMessage.Kind.PREPARE ? TxnReply.voted(Vote.yes(m.txId(), 7))
                    : TxnReply.decided(new TxnStatus(m.txId(), TxnState.COMMITTED, 5));
        };
    }

    private static ReadReply readReply(KeyRead read) {
        return switch (read.key()) {
            case "present" -> ReadReply.found(new byte[] {1}, "text/plain", 9);
            case "in-doubt" -> ReadReply.failed(NodeError.KEY_IN_DOUBT, "held");
            case "broken" -> ReadReply.failed(NodeError.INTERNAL, "failed");
            default -> ReadReply.failed(NodeError.KEY_NOT_FOUND, "absent");
        };
    }

    @Test
    void eachCallerGetsItsOwnMessagesReply() {
        BatchingNodeClient client = client();

        Vote vote = client.prepare(NODE, "t1", new PrepareRequest("k", Table.OWN, WriteOp.PUT, new byte[] {1},
                "text/plain", null, List.of()));
        client.commit(NODE, "t1", 5);

        assertThat(vote.yes()).isTrue();
        assertThat(vote.currentVersion()).isEqualTo(7);
    }

    @Test
    void nodeErrorsThatAnotherReplicaMayGetPastAreUnavailabilityTheRestRefusals() {
        BatchingNodeClient client = client();

        assertThatThrownBy(() -> client.commit(NODE, "t404", 5)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("never prepared");
        assertThatThrownBy(() -> client.commit(NODE, "t503", 5)).isInstanceOf(NodeUnavailableException.class);
        assertThatThrownBy(() -> client.abort(NODE, "t409")).isInstanceOf(NodeRejectedException.class)
                .hasMessageContaining("already committed");
        assertThat(client.commitLater(NODE, "t404", 5)).as("a lingering COMMIT's refusal is read alike")
                .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(NodeUnavailableException.class).withMessageContaining("never prepared");
        assertThat(client.prepareAsync(NODE, "t409", new PrepareRequest("k", Table.OWN, WriteOp.PUT, new byte[] {1},
                "text/plain", null, List.of()))).as("and an asynchronous prepare's")
                .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(NodeRejectedException.class).withMessageContaining("already committed");
    }

    @Test
    void readsFindAbsentOrSendTheCallerElsewhere() {
        BatchingNodeClient client = client();

        assertThat(client.read(NODE, Table.OWN, "present")).hasValueSatisfying(v -> {
            assertThat(v.version()).isEqualTo(9);
            assertThat(v.contentType()).isEqualTo("text/plain");
        });
        assertThat(client.read(NODE, Table.OWN, "absent")).isEmpty();
        assertThatThrownBy(() -> client.read(NODE, Table.OWN, "in-doubt")).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("KEY_IN_DOUBT");
        assertThatThrownBy(() -> client.read(NODE, Table.OWN, "broken")).isInstanceOf(NodeUnavailableException.class);
    }
}
