package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prepare names its peers by node id; after a restart the peer is found wherever it runs now. */
class ParticipantPeersByIdTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final Directory transport = new Directory();
    TestNode node;
    Participant participant;

    /** Like the HTTP transport: ids through a directory of current URLs, URLs as they are; answers by URL. */
    static final class Directory implements DecisionTransport {
        final Map<String, String> urls = new HashMap<>();
        final Map<String, TxnState> answers = new HashMap<>();
        final List<String> peersAsked = new ArrayList<>();
        final List<String> urlsAsked = new ArrayList<>();

        @Override
        public Optional<TxnStatus> askCoordinator(String txId) {
            return Optional.of(TxnStatus.of(txId, TxnState.UNKNOWN)); // a restarted coordinator forgot it
        }

        @Override
        public Optional<TxnStatus> inquirePeer(String peer, String txId, boolean resolving, long version) {
            peersAsked.add(peer);
            String url = HttpDecisionTransport.isUrl(peer) ? peer : urls.get(peer);
            if (url == null) {
                return Optional.empty();
            }
            urlsAsked.add(url);
            return Optional.ofNullable(answers.get(url)).map(state -> new TxnStatus(txId, state, 12));
        }
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    private TestNode open() throws IOException {
        return TestNode.open("node-1", dir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 20), Disk.REAL,
                new ParticipantOptions(TIMEOUT, Duration.ofMinutes(10), 1024), clock, transport);
    }

    private static PrepareRequest put(String key, String peer) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, "v".getBytes(StandardCharsets.UTF_8), "text/plain",
                null, List.of(peer));
    }

    /** Everything killed and restarted: the peer's old port is gone, its id still finds it. */
    private void preparedThenRestarted(String txId, String key, String peer) throws IOException {
        node = open();
        participant = node.participant();
        participant.prepare(txId, put(key, peer));
        node.close();
        node = open();
        participant = node.participant();
        clock.advance(TIMEOUT);
    }

    @Test
    void peerNamedByIdIsAskedAtTheUrlItHasNowAfterARestart() throws IOException {
        preparedThenRestarted("t1", "k", "node-2");
        transport.urls.put("node-2", "http://127.0.0.1:40002");
        transport.answers.put("http://127.0.0.1:40002", TxnState.COMMITTED);

        assertThat(node.resolver().resolveInDoubt()).isOne();

        assertThat(transport.peersAsked).containsExactly("node-2");
        assertThat(transport.urlsAsked).containsExactly("http://127.0.0.1:40002");
        assertThat(node.tables().version(Table.OWN, "k")).isEqualTo(12);
        assertThat(node.replica().isHeld("k")).isFalse();
    }

    @Test
    void peerNamedByUrlInAnOldLogIsStillAskedThere() throws IOException {
        preparedThenRestarted("t1", "k", "http://127.0.0.1:40001");
        transport.answers.put("http://127.0.0.1:40001", TxnState.ABORTED);

        assertThat(node.resolver().resolveInDoubt()).isOne();

        assertThat(transport.urlsAsked).containsExactly("http://127.0.0.1:40001");
        assertThat(participant.status("t1").state()).isEqualTo(TxnState.ABORTED);
    }

    @Test
    void peerThatCannotBeFoundLeavesTheKeyHeldAndListedInDoubt() throws IOException {
        preparedThenRestarted("t1", "k", "node-2");

        assertThat(node.resolver().resolveInDoubt()).isZero();

        assertThat(node.replica().isHeld("k")).isTrue();
        assertThat(participant.inDoubtTransactions()).extracting(InDoubtTransaction::txId).containsExactly("t1");
    }

    @Test
    void inDoubtListNamesKeyTablePeersAndTheVersionACommitMustExceed() throws IOException {
        node = open();
        participant = node.participant();
        participant.prepare("t0", put("k", "node-2"));
        participant.commit("t0", 5);
        participant.prepare("t1", new PrepareRequest("k", Table.OWN, WriteOp.DELETE, null, null, null,
                List.of("node-2")));
        clock.advance(Duration.ofSeconds(1));
        participant.prepare("t2", put("other", "node-3"));

        List<InDoubtTransaction> inDoubt = participant.inDoubtTransactions();

        assertThat(inDoubt).extracting(InDoubtTransaction::txId).containsExactly("t1", "t2");
        InDoubtTransaction first = inDoubt.getFirst();
        assertThat(first.key()).isEqualTo("k");
        assertThat(first.table()).isEqualTo(Table.OWN);
        assertThat(first.op()).isEqualTo(WriteOp.DELETE);
        assertThat(first.peers()).containsExactly("node-2");
        assertThat(first.currentVersion()).isEqualTo(5);
        assertThat(first.since()).isBefore(inDoubt.get(1).since());

        participant.abort("t1");
        assertThat(participant.inDoubtTransactions()).extracting(InDoubtTransaction::txId).containsExactly("t2");
    }
}
