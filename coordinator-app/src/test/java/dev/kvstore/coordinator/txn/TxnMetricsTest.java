package dev.kvstore.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.coordinator.nodeclient.NodeValue;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.Vote;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TxnMetricsTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TxnRegistry registry = new TxnRegistry(Clock.systemUTC());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Replica> replicas = List.of(new Replica("a", "http://a", Table.OWN),
            new Replica("b", "http://b", Table.PREV));

    @AfterEach
    void close() {
        executor.close();
    }

    /** Votes as {@code vote} says; commits to {@code unreachable} fail as a node that is down. */
    private TwoPhaseCommit txn(BiFunction<String, String, Vote> vote, String unreachable) {
        NodeClient nodes = new NodeClient() {
            @Override
            public Vote prepare(String url, String txId, PrepareRequest request) {
                return vote.apply(url, txId);
            }

            @Override
            public void commit(String url, String txId, long version) {
                if (url.equals(unreachable)) {
                    throw new NodeUnavailableException(url, "connection refused", null);
                }
            }

            @Override
            public void abort(String url, String txId) {
            }

            @Override
            public Optional<NodeValue> read(String url, Table table, String key) {
                return Optional.empty();
            }
        };
        return new TwoPhaseCommit(nodes, registry, new VersionClock(Clock.systemUTC()), executor,
                new TxnMetrics(meters, registry));
    }

    private static Write put(Precondition condition) {
        return Write.put("k", new byte[0], "text/plain", condition);
    }

    private double aborts(String reason) {
        return meters.get("kv.txn.aborts").tag("reason", reason).counter().count();
    }

    private double commits(String confirmed) {
        return meters.get("kv.txn.commits").tag("confirmed", confirmed).counter().count();
    }

    private long phase(String phase) {
        return meters.get("kv.txn.phase").tag("phase", phase).timer().count();
    }

    @Test
    void aCommitTimesBothPhasesAndCountsAsConfirmed() {
        TwoPhaseCommit txn = txn((url, txId) -> Vote.yes(txId, 0), null);
        txn.write(replicas, put(Precondition.NONE));
        txn.awaitCommits("k"); // the COMMITs go out after the answer

        assertThat(commits("true")).isEqualTo(1);
        assertThat(commits("false")).isZero();
        assertThat(phase("prepare")).isEqualTo(1);
        assertThat(phase("commit")).isEqualTo(1);
        assertThat(phase("abort")).isZero();
    }

    @Test
    void abortsAreCountedByWhy() {
        txn((url, txId) -> Vote.no(txId, Vote.CONFLICT, 0), null).write(replicas, put(new Precondition.MustExist()));
        txn((url, txId) -> url.equals("http://b") ? Vote.no(txId, Vote.LOCKED, 0) : Vote.yes(txId, 0), null)
                .write(replicas, put(Precondition.NONE));
        txn((url, txId) -> {
            throw new NodeUnavailableException(url, "connection refused", null);
        }, null).write(replicas, put(Precondition.NONE));

        assertThat(aborts("condition_failed")).isEqualTo(1);
        assertThat(aborts("vote_no")).isEqualTo(1);
        assertThat(aborts("unavailable")).isEqualTo(1);
        assertThat(phase("abort")).isEqualTo(3);
        assertThat(commits("true") + commits("false")).isZero();
    }

    @Test
    void aCommitAReplicaDidNotConfirmIsCountedUnconfirmedAndStaysUnacknowledged() {
        TwoPhaseCommit txn = txn((url, txId) -> Vote.yes(txId, 0), "http://b");
        WriteOutcome outcome = txn.write(replicas, put(Precondition.NONE));
        txn.awaitCommits("k");

        assertThat(outcome).isInstanceOf(WriteOutcome.Committed.class);
        assertThat(commits("false")).isEqualTo(1);
        assertThat(meters.get("kv.txn.unacknowledged").tag("decision", "committed").gauge().value()).isEqualTo(1);
        assertThat(meters.get("kv.txn.in_flight").gauge().value()).isZero();
    }
}
