package dev.kvstore.node.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The participant's rules for the one-round commit (see the package documentation): the version travels in
 * the prepare, a no vote is a forced abort, a replica settling a transaction with its peer refuses the
 * coordinator's abort, and a peer asked by a settling replica commits what it prepared.
 */
class OneRoundCommitParticipantTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PEER = "node-2";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final ScriptedTransport transport = new ScriptedTransport();
    TestNode node;
    Participant participant;

    @BeforeEach
    void open() throws IOException {
        node = reopen();
        participant = node.participant();
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    private TestNode reopen() throws IOException {
        return TestNode.open("node-1", dir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 20), Disk.REAL,
                new ParticipantOptions(TIMEOUT, Duration.ofMinutes(10), 1024), clock, transport);
    }

    private static PrepareRequest put(String key, String value, long version) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8), "text/plain",
                null, List.of(PEER), version, false);
    }

    /** t1 prepared at version 10, past the decision timeout, and the coordinator does not know it. */
    private void preparedPastTheTimeoutUnknownToTheCoordinator() {
        participant.prepare("t1", put("k", "v1", 10));
        clock.advance(TIMEOUT);
        transport.coordinatorSays(TxnState.UNKNOWN, 0);
    }

    private String read(TestNode n, String key) {
        return n.tables().get(Table.OWN, key).map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void aWriteCommitsAtTheVersionItWasPreparedWith() {
        participant.prepare("t1", put("k", "v1", 70));

        assertThat(participant.commit("t1", 70)).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 70));
        assertThat(node.tables().version(Table.OWN, "k")).isEqualTo(70);
    }

    @Test
    void aVersionNotAboveWhatTheKeyHasSeenIsVotedDownWithTheVersionToExceed() {
        participant.prepare("t1", put("k", "v1", 70));
        participant.commit("t1", 70);

        Vote vote = participant.prepare("t2", put("k", "v2", 70));

        assertThat(vote.yes()).isFalse();
        assertThat(vote.reason()).isEqualTo(Vote.STALE_VERSION);
        assertThat(vote.versionToExceed()).isEqualTo(70);
        assertThat(node.replica().isHeld("k")).isFalse();
    }

    @Test
    void aKeyThatMustExistAndDoesNotIsVotedDown() {
        PrepareRequest delete = new PrepareRequest("k", Table.OWN, WriteOp.DELETE, null, null, null, List.of(PEER), 5L, true);

        Vote vote = participant.prepare("t1", delete);

        assertThat(vote.reason()).isEqualTo(Vote.CONFLICT);
        assertThat(vote.currentVersion()).isZero();
    }

    @Test
    void aNoVoteIsAForcedAbortSoTheSamePrepareNeverTurnsYesAfterARestart() throws IOException {
        participant.prepare("t1", put("k", "v1", 10));
        PrepareRequest stale = put("k", "v2", 5);
        participant.commit("t1", 10);

        assertThat(participant.prepare("t2", stale).yes()).isFalse();
        assertThat(participant.status("t2").state()).isEqualTo(TxnState.ABORTED);
        node.close();
        node = reopen();

        assertThat(node.participant().status("t2").state()).isEqualTo(TxnState.ABORTED);
        assertThat(node.participant().prepare("t2", put("other", "v", 50)).reason()).isEqualTo(Vote.ABORTED);
    }

    @Test
    void aPrepareOfAHeldKeyWaitsForItsHoldersDecisionThenVotes() throws Exception {
        participant.prepare("t1", put("k", "v1", 10));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread[] waiting = new Thread[1];
            CompletableFuture<Vote> second = CompletableFuture.supplyAsync(() -> {
                waiting[0] = Thread.currentThread();
                return participant.prepare("t2", put("k", "v2", 20));
            }, threads);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> waiting[0] != null && waiting[0].getState() == Thread.State.TIMED_WAITING);

            participant.commit("t1", 10);

            assertThat(second.get(5, TimeUnit.SECONDS).yes()).isTrue();
        }
    }

    @Test
    void aReadOfAKeyHeldByAWriteWhoseCommitIsOnItsWayWaitsForItAndSeesTheNewValue() throws Exception {
        participant.prepare("t0", put("k", "old", 5));
        participant.commit("t0", 5);
        participant.prepare("t1", put("k", "new", 10));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread[] waiting = new Thread[1];
            CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
                waiting[0] = Thread.currentThread();
                return node.replica().awaitRelease("k", Duration.ofSeconds(30)) ? read(node, "k") : "still held";
            }, threads);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> waiting[0] != null && waiting[0].getState() == Thread.State.TIMED_WAITING);

            participant.commit("t1", 10);

            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("new");
        }
    }

    @Test
    void theCoordinatorsAbortIsRefusedWhileTheReplicaSettlesWithItsPeer() {
        participant.prepare("t1", put("k", "v1", 10));
        clock.advance(TIMEOUT);
        transport.coordinatorSays(TxnState.UNKNOWN, 0); // the peer does not answer

        assertThat(node.resolver().resolveInDoubt()).isZero();

        assertThat(transport.asked).containsExactly("coordinator:t1", PEER + ":t1 (resolving)");
        assertThatThrownBy(() -> participant.abort("t1")).isInstanceOf(ResolvingWithPeerException.class);
        assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
    }

    @Test
    void aSettlingReplicaIgnoresTheCoordinatorsAbortAndTakesItsPeersCommit() {
        participant.prepare("t1", put("k", "v1", 10));
        clock.advance(TIMEOUT);
        transport.coordinatorUnreachable();
        node.resolver().resolveInDoubt();
        transport.coordinatorSays(TxnState.ABORTED, 0);
        transport.peerSays(PEER, TxnState.COMMITTED, 10);

        assertThat(node.resolver().resolveInDoubt()).isOne();

        assertThat(participant.status("t1")).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 10));
        assertThat(read(node, "k")).isEqualTo("v1");
    }

    @Test
    void aSettlingReplicaTakesItsPeersAbort() {
        preparedPastTheTimeoutUnknownToTheCoordinator();
        transport.peerSays(PEER, TxnState.ABORTED, 0);

        assertThat(node.resolver().resolveInDoubt()).isOne();

        assertThat(participant.status("t1").state()).isEqualTo(TxnState.ABORTED);
        assertThat(read(node, "k")).isNull();
    }

    @Test
    void beforeSettlingTheCoordinatorsAbortIsTaken() {
        participant.prepare("t1", put("k", "v1", 10));
        clock.advance(TIMEOUT);
        transport.coordinatorSays(TxnState.ABORTED, 0);

        assertThat(node.resolver().resolveInDoubt()).isOne();

        assertThat(participant.status("t1").state()).isEqualTo(TxnState.ABORTED);
        assertThat(transport.asked).containsExactly("coordinator:t1");
    }

    @Test
    void theSettlingMarkSurvivesARestartThroughTheLogAndThroughASnapshot() throws IOException {
        participant.prepare("t1", put("k", "v1", 10));
        clock.advance(TIMEOUT);
        transport.coordinatorSays(TxnState.UNKNOWN, 0);
        node.resolver().resolveInDoubt();
        node.close();
        node = reopen();
        assertThatThrownBy(() -> node.participant().abort("t1")).as("from the log")
                .isInstanceOf(ResolvingWithPeerException.class);

        node.snapshots().snapshot();
        node.close();
        node = reopen();

        assertThatThrownBy(() -> node.participant().abort("t1")).as("from the snapshot")
                .isInstanceOf(ResolvingWithPeerException.class);
        assertThat(node.participant().status("t1").state()).isEqualTo(TxnState.PREPARED);
    }

    @Test
    void aPeerAskedByASettlingReplicaCommitsWhatItPreparedDurablyAtItsVersion() throws IOException {
        participant.prepare("t1", put("k", "v1", 10));

        TxnStatus answer = participant.inquire("t1", true, 1);

        assertThat(answer).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 10));
        node.close(); // no sync of its own: the inquiry's COMMIT was forced before it answered
        node = reopen();
        assertThat(node.participant().status("t1")).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 10));
        assertThat(read(node, "k")).isEqualTo("v1");
    }

    @Test
    void aPeerAskedByAReplicaNotSettlingOnlyTellsWhatItKnows() {
        participant.prepare("t1", put("k", "v1", 10));

        assertThat(participant.inquire("t1", false, 1).state()).isEqualTo(TxnState.PREPARED);
        assertThat(participant.inquire("t1", true, 1).state()).isEqualTo(TxnState.COMMITTED);
    }

    @Test
    void aPeerThatNeverPreparedAbortsFirstSoALatePrepareVotesNo() {
        assertThat(participant.inquire("t1", true, 1).state()).isEqualTo(TxnState.ABORTED);

        assertThat(participant.prepare("t1", put("k", "v1", 10)).reason()).isEqualTo(Vote.ABORTED);
    }

    @Test
    void aPeerThatCommittedAndForgotTheOutcomeAnswersUnknownInsteadOfFencing() {
        participant.prepare("t1", put("k", "v1", 10));
        participant.commit("t1", 10);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(participant.pruneOutcomes()).isOne();

        assertThat(participant.inquire("t1", true, 10).state()).as("it may have committed t1").isEqualTo(TxnState.UNKNOWN);
        assertThat(participant.inquire("t2", true, 0).state()).as("a version not known").isEqualTo(TxnState.UNKNOWN);
        assertThat(participant.status("t1").state()).as("nothing recorded").isEqualTo(TxnState.UNKNOWN);
        assertThat(participant.inquire("t3", true, 11).state()).as("above every commit forgotten: never committed here")
                .isEqualTo(TxnState.ABORTED);
    }

    @Test
    void whatWasForgottenIsKnownAfterASnapshotAndARestart() throws IOException {
        participant.prepare("t1", put("k", "v1", 10));
        participant.commit("t1", 10);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        participant.pruneOutcomes();
        node.snapshots().snapshot();
        node.close();
        node = reopen();

        assertThat(node.participant().inquire("t1", true, 10).state()).isEqualTo(TxnState.UNKNOWN);
        assertThat(node.participant().inquire("t2", true, 11).state()).isEqualTo(TxnState.ABORTED);
    }

    @Test
    void anOutcomeRestoredFromASnapshotIsKeptAFullRetentionAfterTheRestart() throws IOException {
        participant.prepare("t1", put("k", "v1", 10));
        participant.commit("t1", 10);
        node.snapshots().snapshot();
        node.close();
        clock.advance(Duration.ofHours(1)); // the whole cluster was down for an hour
        node = reopen();

        assertThat(node.participant().pruneOutcomes()).isZero();
        assertThat(node.participant().inquire("t1", true, 10)).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 10));
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(node.participant().pruneOutcomes()).isOne();
    }

    @Test
    void aReplicaWhosePeerMayHaveForgottenStaysInDoubtAndAsksAgain() {
        preparedPastTheTimeoutUnknownToTheCoordinator();
        transport.peerSays(PEER, TxnState.UNKNOWN, 0);

        assertThat(node.resolver().resolveInDoubt()).isZero();
        assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
        assertThat(transport.versionsAsked).containsExactly(10L);

        transport.peerSays(PEER, TxnState.COMMITTED, 10);
        assertThat(node.resolver().resolveInDoubt()).isOne();
        assertThat(read(node, "k")).isEqualTo("v1");
    }

    @Test
    void aPeerThatCommittedOnASettlingReplicasWordRefusesTheCoordinatorsAbort() {
        participant.prepare("t1", put("k", "v1", 10));
        participant.inquire("t1", true, 1);

        assertThatThrownBy(() -> participant.abort("t1")).isInstanceOf(TransactionConflictException.class);
    }
}
