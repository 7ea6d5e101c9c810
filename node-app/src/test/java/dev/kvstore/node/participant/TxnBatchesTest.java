package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnMessage;
import dev.kvstore.model.TxnReply;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnBatchesTest {

    @TempDir
    Path dir;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Messages the batch handed to a thread of their own. */
    private final AtomicInteger handedOff = new AtomicInteger();
    private TestNode node;
    private Participant participant;
    private TxnBatches batches;

    @BeforeEach
    void open() throws IOException {
        node = TestNode.open("node-test", dir, new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1 << 30),
                Disk.REAL, new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1024),
                new MutableClock(), new ScriptedTransport());
        participant = node.participant();
        Executor counting = task -> {
            handedOff.incrementAndGet();
            executor.execute(task);
        };
        batches = new TxnBatches(participant, counting, 100);
    }

    @AfterEach
    void close() throws IOException {
        node.close();
        executor.close();
    }

    private static PrepareRequest put(String key, String value) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8), "text/plain",
                null, List.of("http://peer:1"));
    }

    @Test
    void aBatchCommitsWhatItPreparedAndRepliesInOrder() {
        List<TxnMessage> prepares = new ArrayList<>();
        List<TxnMessage> commits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            prepares.add(TxnMessage.prepare("t" + i, put("k" + i, "v" + i)));
            commits.add(TxnMessage.commit("t" + i, 100 + i));
        }

        List<TxnReply> votes = batches.handle(prepares);
        List<TxnReply> outcomes = batches.handle(commits);

        for (int i = 0; i < 20; i++) {
            assertThat(votes.get(i).vote().txId()).isEqualTo("t" + i);
            assertThat(votes.get(i).vote().yes()).isTrue();
            assertThat(outcomes.get(i).outcome().state()).isEqualTo(TxnState.COMMITTED);
            long version = 100 + i;
            String value = "v" + i;
            assertThat(node.tables().get(Table.OWN, "k" + i)).hasValueSatisfying(v -> {
                assertThat(new String(v.value(), StandardCharsets.UTF_8)).isEqualTo(value);
                assertThat(v.version()).isEqualTo(version);
            });
        }
    }

    @Test
    void preparesInOneBatchShareFsyncs() {
        List<TxnMessage> prepares = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            prepares.add(TxnMessage.prepare("t" + i, put("k" + i, "v")));
        }
        long before = node.log().stats().fsyncs();

        batches.handle(prepares);

        assertThat(node.log().stats().fsyncs() - before).isPositive().isLessThan(50);
    }

    @Test
    void aBatchOfPreparesAndCommitsIsHandledOnTheCallersThreadWithOneFsyncForItsVotes() {
        batches.handle(List.of(TxnMessage.prepare("t0", put("k0", "v"))));
        List<TxnMessage> batch = new ArrayList<>(List.of(TxnMessage.commit("t0", 5)));
        for (int i = 1; i <= 30; i++) {
            batch.add(TxnMessage.prepare("t" + i, put("k" + i, "v")));
        }
        long before = node.log().stats().fsyncs();

        List<TxnReply> replies = batches.handle(batch);

        assertThat(replies.getFirst().outcome().state()).isEqualTo(TxnState.COMMITTED);
        assertThat(replies.subList(1, replies.size())).allSatisfy(reply -> assertThat(reply.vote().yes()).isTrue());
        assertThat(node.log().stats().fsyncs() - before).isEqualTo(1);
        assertThat(handedOff).hasValue(0);
    }

    @Test
    void aCommitInTheBatchFreesItsKeyForAPrepareOfTheSameBatch() {
        batches.handle(List.of(TxnMessage.prepare("first", put("k", "v1"))));

        List<TxnReply> replies = batches.handle(List.of(
                TxnMessage.prepare("second", put("k", "v2")),
                TxnMessage.commit("first", 5)));

        assertThat(replies.getFirst().vote().yes()).isTrue();
        assertThat(replies.get(1).outcome().state()).isEqualTo(TxnState.COMMITTED);
        assertThat(handedOff).hasValue(0);
    }

    @Test
    void aPrepareOfAHeldKeyAndAnAbortWaitOnThreadsOfTheirOwnWhileTheRestAreAnswered() {
        batches.handle(List.of(TxnMessage.prepare("holder", put("held", "v"))));

        List<TxnReply> replies = batches.handle(List.of(
                TxnMessage.prepare("waits", put("held", "v2")),
                TxnMessage.abort("never-prepared"),
                TxnMessage.prepare("free", put("free", "v"))));

        assertThat(replies.getFirst().vote().yes()).isFalse();
        assertThat(replies.getFirst().vote().reason()).isEqualTo(Vote.LOCKED);
        assertThat(replies.get(1).outcome().state()).isEqualTo(TxnState.ABORTED);
        assertThat(replies.get(2).vote().yes()).isTrue();
        assertThat(handedOff).hasValue(2);
    }

    @Test
    void eachMessageFailsAloneWithItsNodeError() {
        batches.handle(List.of(TxnMessage.prepare("done", put("d", "v"))));
        batches.handle(List.of(TxnMessage.commit("done", 5)));

        List<TxnReply> replies = batches.handle(List.of(
                TxnMessage.prepare("ok", put("k", "v")),
                TxnMessage.commit("never-prepared", 5),
                TxnMessage.abort("done"),
                TxnMessage.prepare("bad-key", put("", "v")),
                new TxnMessage("no-version", TxnMessage.Kind.COMMIT, null, null),
                new TxnMessage("no-kind", null, null, null),
                new TxnMessage(null, TxnMessage.Kind.ABORT, null, null),
                TxnMessage.prepare("too-big", put("big", "x".repeat(2000)))));

        assertThat(replies).extracting(TxnReply::error).containsExactly(null, NodeError.UNKNOWN_TRANSACTION,
                NodeError.TRANSACTION_DECIDED, NodeError.INVALID_REQUEST, NodeError.INVALID_REQUEST,
                NodeError.INVALID_REQUEST, NodeError.INVALID_REQUEST, NodeError.VALUE_TOO_LARGE);
        assertThat(replies.get(1).detail()).contains("never-prepared");
        assertThat(replies.get(0).vote().yes()).isTrue();
    }

    @Test
    void anOversizedBatchIsRefusedWhole() {
        List<TxnMessage> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(TxnMessage.abort("t" + i));
        }

        assertThatThrownBy(() -> batches.handle(many)).isInstanceOf(InvalidPrepareException.class)
                .hasMessageContaining("at most 100 messages");
        assertThat(participant.status("t0").state()).isEqualTo(TxnState.UNKNOWN);
    }
}
