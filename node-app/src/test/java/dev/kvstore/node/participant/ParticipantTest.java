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
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticipantTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PEER = "http://peer:1";

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
        return TestNode.open("node-test", dir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 20), Disk.REAL,
                new ParticipantOptions(TIMEOUT, Duration.ofMinutes(10), 1024), clock, transport);
    }

    private static PrepareRequest put(String key, String value) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8),
                "text/plain", null, List.of(PEER));
    }

    private static PrepareRequest putIf(String key, String value, long expected) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8),
                "text/plain", expected, List.of(PEER));
    }

    private static PrepareRequest delete(String key) {
        return new PrepareRequest(key, Table.OWN, WriteOp.DELETE, null, null, null, List.of(PEER));
    }

    private Optional<String> read(TestNode p, String key) {
        return p.tables().get(Table.OWN, key).map(v -> new String(v.value(), StandardCharsets.UTF_8));
    }

    private void write(String txId, String key, String value, long version) {
        assertThat(participant.prepare(txId, put(key, value)).yes()).isTrue();
        participant.commit(txId, version);
    }

    @Test
    void preparedWriteStaysInvisibleUntilCommitted() {
        Vote vote = participant.prepare("t1", put("k", "v1"));

        assertThat(vote.yes()).isTrue();
        assertThat(vote.currentVersion()).isZero();
        assertThat(read(node, "k")).isEmpty();

        participant.commit("t1", 7);

        StoredValue stored = node.tables().get(Table.OWN, "k").orElseThrow();
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).isEqualTo("v1");
        assertThat(stored.version()).isEqualTo(7);
        assertThat(stored.contentType()).isEqualTo("text/plain");
    }

    @Test
    void keyIsHeldFromPrepareUntilTheDecision() {
        assertThat(node.replica().isHeld("k")).isFalse();
        participant.prepare("t1", put("k", "v1"));
        assertThat(node.replica().isHeld("k")).isTrue();

        participant.commit("t1", 1);

        assertThat(node.replica().isHeld("k")).isFalse();
    }

    @Test
    void writeGoesToTheTableThePrepareNames() {
        PrepareRequest replica = new PrepareRequest("k", Table.PREV, WriteOp.PUT, new byte[] {1}, null, null, List.of());
        participant.prepare("t1", replica);
        participant.commit("t1", 1);

        assertThat(node.tables().get(Table.PREV, "k")).isPresent();
        assertThat(node.tables().get(Table.OWN, "k")).isEmpty();
        assertThat(node.tables().get(Table.PREV, "k").orElseThrow().contentType())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void voteCarriesTheVersionTheKeyHoldsNow() {
        write("t1", "k", "v1", 41);

        assertThat(participant.prepare("t2", put("k", "v2")).currentVersion()).isEqualTo(41);
    }

    @Test
    void abortLeavesTheTableUnchangedAndFreesTheKey() {
        write("t1", "k", "v1", 1);
        participant.prepare("t2", put("k", "v2"));

        assertThat(participant.abort("t2").state()).isEqualTo(TxnState.ABORTED);

        assertThat(read(node, "k")).contains("v1");
        assertThat(participant.prepare("t3", put("k", "v3")).yes()).isTrue();
    }

    @Test
    void secondPrepareOnALockedKeyVotesNoUntilTheFirstIsDecided() {
        participant.prepare("t1", put("k", "v1"));

        Vote second = participant.prepare("t2", put("k", "v2"));

        assertThat(second.yes()).isFalse();
        assertThat(second.reason()).isEqualTo(Vote.LOCKED);
        participant.commit("t1", 1);
        assertThat(participant.prepare("t3", put("k", "v3")).yes()).isTrue();
    }

    @Test
    void preparesOnDifferentKeysDoNotBlockEachOther() {
        assertThat(participant.prepare("t1", put("a", "1")).yes()).isTrue();
        assertThat(participant.prepare("t2", put("b", "2")).yes()).isTrue();
        assertThat(participant.inDoubt()).isEqualTo(2);
    }

    @Test
    void expectedVersionMismatchVotesNoAndLeavesTheKeyFree() {
        write("t1", "k", "v1", 3);

        Vote stale = participant.prepare("t2", putIf("k", "v2", 2));

        assertThat(stale.yes()).isFalse();
        assertThat(stale.reason()).isEqualTo(Vote.CONFLICT);
        assertThat(stale.currentVersion()).isEqualTo(3);
        assertThat(participant.prepare("t3", putIf("k", "v3", 3)).yes()).isTrue();
    }

    @Test
    void expectedVersionZeroMeansTheKeyMustBeAbsent() {
        assertThat(participant.prepare("t1", putIf("k", "v1", 0)).yes()).isTrue();
        participant.commit("t1", 1);

        assertThat(participant.prepare("t2", putIf("k", "v2", 0)).reason()).isEqualTo(Vote.CONFLICT);
    }

    @Test
    void deleteRemovesTheKey() {
        write("t1", "k", "v1", 1);
        participant.prepare("t2", delete("k"));
        assertThat(read(node, "k")).contains("v1");

        participant.commit("t2", 2);

        assertThat(read(node, "k")).isEmpty();
    }

    @Test
    void repeatedPrepareRepeatsTheVoteWithoutLockingTwice() {
        Vote first = participant.prepare("t1", put("k", "v1"));
        Vote again = participant.prepare("t1", put("k", "v1"));

        assertThat(again).isEqualTo(first);
        assertThat(participant.inDoubt()).isEqualTo(1);
    }

    @Test
    void commitIsIdempotent() {
        participant.prepare("t1", put("k", "v1"));
        TxnStatus first = participant.commit("t1", 5);

        TxnStatus again = participant.commit("t1", 5);

        assertThat(again).isEqualTo(first);
        assertThat(node.tables().version(Table.OWN, "k")).isEqualTo(5);
    }

    @Test
    void abortIsIdempotent() {
        participant.prepare("t1", put("k", "v1"));
        participant.abort("t1");

        assertThat(participant.abort("t1").state()).isEqualTo(TxnState.ABORTED);
    }

    @Test
    void commitAfterAbortIsRefusedAsAConflict() {
        participant.prepare("t1", put("k", "v1"));
        participant.abort("t1");

        assertThatThrownBy(() -> participant.commit("t1", 1)).isInstanceOf(TransactionConflictException.class);
        assertThat(read(node, "k")).isEmpty();
    }

    @Test
    void abortAfterCommitIsRefusedAsAConflict() {
        write("t1", "k", "v1", 1);

        assertThatThrownBy(() -> participant.abort("t1")).isInstanceOf(TransactionConflictException.class);
        assertThat(read(node, "k")).contains("v1");
    }

    @Test
    void commitOfATransactionNeverPreparedIsRefused() {
        assertThatThrownBy(() -> participant.commit("ghost", 1)).isInstanceOf(UnknownTransactionException.class);
    }

    @Test
    void abortBeforePrepareMakesTheLatePrepareVoteNo() {
        participant.abort("t1");

        Vote late = participant.prepare("t1", put("k", "v1"));

        assertThat(late.yes()).isFalse();
        assertThat(late.reason()).isEqualTo(Vote.ABORTED);
        assertThat(participant.prepare("t2", put("k", "v2")).yes()).as("the key is free").isTrue();
    }

    @Test
    void statusReportsEachStage() {
        assertThat(participant.status("t1").state()).isEqualTo(TxnState.UNKNOWN);
        participant.prepare("t1", put("k", "v1"));
        assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
        participant.commit("t1", 9);
        assertThat(participant.status("t1")).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 9));
    }

    @Test
    void inquiryAboutATransactionNeverPreparedAbortsIt() {
        assertThat(participant.inquire("t1", false, 1).state()).isEqualTo(TxnState.ABORTED);
        assertThat(participant.prepare("t1", put("k", "v1")).yes()).isFalse();
    }

    @Test
    void malformedPreparesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> participant.prepare("t1", put("", "v")))
                .isInstanceOf(InvalidPrepareException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> participant.prepare("t1", put("k".repeat(1025), "v")))
                .isInstanceOf(InvalidPrepareException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> participant.prepare("t1", put("k", "x".repeat(1025))))
                .isInstanceOf(InvalidPrepareException.class).hasMessageContaining("limit is 1024");
        assertThatThrownBy(() -> participant.prepare("t1",
                new PrepareRequest("k", Table.OWN, WriteOp.PUT, null, null, null, List.of())))
                .isInstanceOf(InvalidPrepareException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> participant.prepare(" ", put("k", "v")))
                .isInstanceOf(InvalidPrepareException.class);
        assertThat(participant.inDoubt()).isZero();
    }

    @Nested
    class AfterTheDecisionTimeout {

        @Test
        void nothingIsAskedBeforeTheTimeout() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT.minusMillis(1));

            assertThat(node.resolver().resolveInDoubt()).isZero();
            assertThat(transport.asked).isEmpty();
        }

        @Test
        void coordinatorsCommitIsApplied() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorSays(TxnState.COMMITTED, 12);

            assertThat(node.resolver().resolveInDoubt()).isOne();

            assertThat(node.tables().version(Table.OWN, "k")).isEqualTo(12);
            assertThat(transport.asked).containsExactly("coordinator:t1");
        }

        @Test
        void coordinatorsAbortFreesTheKey() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorSays(TxnState.ABORTED, 0);

            node.resolver().resolveInDoubt();

            assertThat(read(node, "k")).isEmpty();
            assertThat(participant.prepare("t2", put("k", "v2")).yes()).isTrue();
        }

        @Test
        void coordinatorStillDecidingMeansWait() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorSays(TxnState.PREPARED, 0);
            transport.peerSays(PEER, TxnState.UNKNOWN, 0);

            assertThat(node.resolver().resolveInDoubt()).isZero();
            assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
        }

        @Test
        void unreachableCoordinatorAndCommittedPeerMeansCommit() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorUnreachable();
            transport.peerSays(PEER, TxnState.COMMITTED, 4);

            node.resolver().resolveInDoubt();

            assertThat(participant.status("t1")).isEqualTo(new TxnStatus("t1", TxnState.COMMITTED, 4));
            assertThat(read(node, "k")).contains("v1");
        }

        @Test
        void unreachableCoordinatorAndPeerThatNeverPreparedMeansAbort() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.peerSays(PEER, TxnState.ABORTED, 0);

            node.resolver().resolveInDoubt();

            assertThat(participant.status("t1").state()).isEqualTo(TxnState.ABORTED);
        }

        @Test
        void unreachableCoordinatorAndPeerInDoubtKeepsTheKeyHeldUntilSomeoneKnows() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.peerSays(PEER, TxnState.PREPARED, 0);

            assertThat(node.resolver().resolveInDoubt()).isZero();
            assertThat(participant.prepare("t2", put("k", "v2")).reason()).isEqualTo(Vote.LOCKED);

            transport.coordinatorSays(TxnState.COMMITTED, 3);
            assertThat(node.resolver().resolveInDoubt()).isOne();
            assertThat(node.tables().version(Table.OWN, "k")).isEqualTo(3);
        }

        @Test
        void unreachablePeerWhenTheCoordinatorForgotMeansWait() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorSays(TxnState.UNKNOWN, 0);

            assertThat(node.resolver().resolveInDoubt()).isZero();
            assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
        }

        /** Neither can commit it on its own: neither knows the version. Their operator can settle it. */
        @Test
        void aPrepareLoggedWithoutItsVersionWhoseCoordinatorForgotItAndWhosePeerIsInDoubtStaysInDoubt() {
            participant.prepare("t1", put("k", "v1"));
            clock.advance(TIMEOUT);
            transport.coordinatorSays(TxnState.UNKNOWN, 0);
            transport.peerSays(PEER, TxnState.PREPARED, 0);

            assertThat(node.resolver().resolveInDoubt()).isZero();
            assertThat(participant.status("t1").state()).isEqualTo(TxnState.PREPARED);
            assertThat(transport.asked).as("not settling: the peer must not commit on its word")
                    .containsExactly("coordinator:t1", PEER + ":t1");
        }

        @Test
        void decidedOutcomesAreForgottenAfterTheRetention() {
            write("t1", "k", "v1", 1);
            clock.advance(Duration.ofMinutes(10).plusSeconds(1));

            assertThat(participant.pruneOutcomes()).isOne();
            assertThat(participant.status("t1").state()).isEqualTo(TxnState.UNKNOWN);
            assertThat(read(node, "k")).as("the data stays").contains("v1");
        }

        @Test
        void anOutcomeIsKeptForExactlyTheRetention() {
            write("t1", "k", "v1", 1);
            clock.advance(Duration.ofMinutes(10));

            assertThat(participant.pruneOutcomes()).isZero();
            clock.advance(Duration.ofNanos(1));
            assertThat(participant.pruneOutcomes()).isOne();
        }
    }

    @Nested
    class CrashAndReopen {

        @Test
        void uuidTransactionIdsKeepTheirOutcomesThroughASnapshotAndTheLog() throws IOException {
            String committed = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
            String aborted = "1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
            String upperCase = committed.toUpperCase();
            write(committed, "a", "1", 1);
            participant.abort(aborted);
            node.snapshots().snapshot();
            write(upperCase, "b", "2", 2);
            node.log().awaitAllDurable(); // what the COMMITs' background sync does a moment later

            try (TestNode recovered = reopen()) {
                assertThat(recovered.participant().status(committed)).isEqualTo(new TxnStatus(committed, TxnState.COMMITTED, 1));
                assertThat(recovered.participant().status(aborted).state()).isEqualTo(TxnState.ABORTED);
                assertThat(recovered.participant().status(upperCase)).isEqualTo(new TxnStatus(upperCase, TxnState.COMMITTED, 2));
                assertThat(recovered.participant().prepare(aborted, put("c", "3")).reason()).isEqualTo(Vote.ABORTED);
                assertThat(recovered.participant().commit(committed, 1).state()).as("a repeated commit").isEqualTo(TxnState.COMMITTED);
            }
        }

        @Test
        void aSnapshotKeepsEachRowInItsTableWithOwnEmpty() throws IOException {
            writeToPrev("t1", "p1");
            writeToPrev("t2", "p2");
            node.snapshots().snapshot();

            try (TestNode recovered = reopen()) {
                assertThat(recovered.replica().recoveryReport().logRecords()).isZero();
                assertThat(recovered.tables().size(Table.OWN)).isZero();
                assertThat(recovered.tables().size(Table.PREV)).isEqualTo(2);
            }
        }

        @Test
        void aSnapshotKeepsEachRowInItsTableWithBothHoldingRows() throws IOException {
            write("t1", "o1", "1", 1);
            writeToPrev("t2", "p1");
            write("t3", "o2", "2", 1);
            node.snapshots().snapshot();

            try (TestNode recovered = reopen()) {
                assertThat(recovered.replica().recoveryReport().logRecords()).isZero();
                assertThat(read(recovered, "o1")).contains("1");
                assertThat(read(recovered, "o2")).contains("2");
                assertThat(recovered.tables().size(Table.OWN)).isEqualTo(2);
                assertThat(recovered.tables().get(Table.PREV, "p1")).isPresent();
                assertThat(recovered.tables().size(Table.PREV)).isOne();
            }
        }

        private void writeToPrev(String txId, String key) {
            participant.prepare(txId, new PrepareRequest(key, Table.PREV, WriteOp.PUT, new byte[] {1}, "text/plain",
                    null, List.of()));
            participant.commit(txId, 1);
        }

        @Test
        void committedWritesSurviveWithoutACloseOnceTheirCommitsWereSynced() throws IOException {
            write("t1", "a", "1", 1);
            write("t2", "b", "2", 2);
            participant.prepare("t3", delete("a"));
            participant.commit("t3", 3);
            node.log().awaitAllDurable(); // what the COMMITs' background sync does a moment later

            try (TestNode recovered = reopen()) {
                assertThat(read(recovered, "a")).isEmpty();
                assertThat(read(recovered, "b")).contains("2");
                assertThat(recovered.tables().version(Table.OWN, "b")).isEqualTo(2);
                assertThat(recovered.participant().status("t1").state()).isEqualTo(TxnState.COMMITTED);
            }
        }

        @Test
        void transactionInDoubtComesBackHoldingItsKeyAndCanStillCommit() throws IOException {
            write("t1", "k", "v1", 1);
            participant.prepare("t2", put("k", "v2"));

            try (TestNode recovered = reopen()) {
                assertThat(recovered.participant().status("t2").state()).isEqualTo(TxnState.PREPARED);
                assertThat(read(recovered, "k")).contains("v1");
                assertThat(recovered.participant().prepare("t3", put("k", "v3")).reason()).isEqualTo(Vote.LOCKED);

                recovered.participant().commit("t2", 2);
                assertThat(read(recovered, "k")).contains("v2");
            }
        }

        @Test
        void abortedTransactionStaysAbortedAfterReopen() throws IOException {
            participant.abort("t1");

            try (TestNode recovered = reopen()) {
                assertThat(recovered.participant().prepare("t1", put("k", "v")).yes()).isFalse();
            }
        }

        @Test
        void snapshotCarriesTablesTransactionsInDoubtAndOutcomes() throws IOException {
            write("t1", "a", "1", 1);
            participant.prepare("t2", put("b", "2"));
            node.snapshots().snapshot();
            write("t3", "c", "3", 3);
            node.log().awaitAllDurable();

            try (TestNode recovered = reopen()) {
                assertThat(recovered.replica().recoveryReport().snapshotGeneration()).isPositive();
                assertThat(recovered.replica().recoveryReport().snapshotEntries()).isEqualTo(3);
                assertThat(recovered.replica().recoveryReport().logRecords()).isEqualTo(2);
                assertThat(read(recovered, "a")).contains("1");
                assertThat(read(recovered, "c")).contains("3");
                assertThat(recovered.participant().status("t1").state()).isEqualTo(TxnState.COMMITTED);
                assertThat(recovered.participant().status("t2").state()).isEqualTo(TxnState.PREPARED);
                recovered.participant().commit("t2", 2);
                assertThat(read(recovered, "b")).contains("2");
            }
        }
    }
}
