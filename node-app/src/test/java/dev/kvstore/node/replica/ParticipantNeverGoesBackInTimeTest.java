package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.migration.ParticipantRangeTest;
import dev.kvstore.node.participant.MutableClock;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.ScriptedTransport;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule that a replica never moves a key back in time, on the sequence a long fault run found: a
 * write prepared here, this node killed before its COMMIT, failed over, writes going on elsewhere at
 * newer versions, this node back with the write in doubt and handed the newer state, and only then the
 * old write committed, by each path a commit can arrive on.
 */
class ParticipantNeverGoesBackInTimeTest {

    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(5);
    private static final HashRange WHOLE_RING = new HashRange(0, 0);
    private static final String PEER = "node-2";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final ScriptedTransport transport = new ScriptedTransport();
    final List<TestNode> opened = new ArrayList<>();
    TestNode node;

    /** How the old transaction's COMMIT finally arrives. */
    enum CommitPath {
        /** The node resolves its doubt after the timeout: the coordinator forgot, the peer committed. */
        PEER_RESOLUTION,
        /** The coordinator still had the decision and sends it again. */
        COORDINATOR_RESEND,
        /** The commit arrives, then the node is killed and replays its log. */
        REPLAY,
        /** As REPLAY, but from a snapshot taken while the write was still in doubt. */
        SNAPSHOT_THEN_REPLAY
    }

    /** How the newer state reached this node while the write was in doubt. */
    enum HandBack {
        /** Installed over the key the write in doubt holds. */
        INSTALL,
        /** As the hand-back to a returning node does: its tables emptied first, then the install. */
        CLEANUP_THEN_INSTALL
    }

    @BeforeEach
    void open() throws IOException {
        node = reopen();
    }

    @AfterEach
    void closeAll() throws IOException {
        for (TestNode p : opened) {
            p.close();
        }
    }

    /** Opens the node's log again, as after kill -9: the previous instance is never closed first. */
    private TestNode reopen() throws IOException {
        TestNode p = TestNode.open("node-1", dir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 30), Disk.REAL,
                new ParticipantOptions(DECISION_TIMEOUT, Duration.ofMinutes(10), 1 << 16, Duration.ofHours(1)),
                clock, transport);
        opened.add(p);
        return p;
    }

    private static PrepareRequest put(String key, String value) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8), "text/plain",
                null, List.of(PEER));
    }

    private static PrepareRequest delete(String key) {
        return new PrepareRequest(key, Table.OWN, WriteOp.DELETE, null, null, null, List.of(PEER));
    }

    private void committed(String txId, PrepareRequest request, long version) {
        assertThat(node.participant().prepare(txId, request).yes()).isTrue();
        node.participant().commit(txId, version);
        node.log().awaitAllDurable(); // what the COMMIT's background sync does a moment later
    }

    private String valueOf(TestNode p, String key) {
        return p.tables().get(Table.OWN, key)
                .map(v -> new String(v.value(), StandardCharsets.UTF_8) + "@" + v.version()).orElse(null);
    }

    private static byte[] frames(LogRecord.Row... rows) throws IOException {
        return ParticipantRangeTest.frames(List.of(rows), true);
    }

    private static LogRecord.Entry entry(String key, String value, long version) {
        return new LogRecord.Entry(Table.OWN, key, value.getBytes(StandardCharsets.UTF_8), "text/plain", version);
    }

    /** Prepares the old write, then kills and restarts the node: the write is in doubt. */
    private void oldWriteInDoubtAcrossACrash(PrepareRequest oldWrite) throws IOException {
        committed("t-first", put("k10", "first"), 100);
        assertThat(node.participant().prepare("t-old", oldWrite).yes()).isTrue();
        node = reopen();
        assertThat(node.participant().status("t-old").state()).isEqualTo(TxnState.PREPARED);
    }

    private void handBack(HandBack how, LogRecord.Row newer) throws IOException {
        if (how == HandBack.CLEANUP_THEN_INSTALL) {
            node.ranges().dropRange(Table.OWN, List.of(WHOLE_RING));
        }
        node.ranges().install(Table.OWN, new ByteArrayInputStream(frames(newer)));
    }

    /** Commits the old transaction at {@code version} by the given path; returns the node as it is after. */
    private TestNode commitOld(CommitPath path, long version) throws IOException {
        switch (path) {
            case PEER_RESOLUTION -> {
                transport.coordinatorSays(TxnState.UNKNOWN, 0);
                transport.peerSays(PEER, TxnState.COMMITTED, version);
                clock.advance(DECISION_TIMEOUT.plusSeconds(1));
                assertThat(node.resolver().resolveInDoubt()).isOne();
                return node;
            }
            case COORDINATOR_RESEND -> {
                assertThat(node.participant().commit("t-old", version).state()).isEqualTo(TxnState.COMMITTED);
                return node;
            }
            case REPLAY -> {
                node.participant().commit("t-old", version);
                node.log().awaitAllDurable();
                return reopen();
            }
            case SNAPSHOT_THEN_REPLAY -> {
                node.snapshots().snapshot();
                node.participant().commit("t-old", version);
                node.log().awaitAllDurable();
                return reopen();
            }
        }
        throw new AssertionError(path);
    }

    @ParameterizedTest
    @EnumSource(CommitPath.class)
    void oldWriteCommittedAfterANewerValueWasInstalledLeavesTheNewerValue(CommitPath path) throws IOException {
        for (HandBack how : HandBack.values()) {
            reset();
            oldWriteInDoubtAcrossACrash(put("k10", "written at t=238s"));
            handBack(how, entry("k10", "written at t=264s", 300));

            TestNode after = commitOld(path, 200);

            assertThat(after.participant().status("t-old").state()).as("%s, %s: the outcome stands", how, path)
                    .isEqualTo(TxnState.COMMITTED);
            assertThat(valueOf(after, "k10")).as("%s, %s", how, path).isEqualTo("written at t=264s@300");
            assertThat(valueOf(reopen(), "k10")).as("%s, %s, after another restart", how, path)
                    .isEqualTo("written at t=264s@300");
            assertThat(after.replica().isHeld("k10")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(CommitPath.class)
    void oldWriteCommittedAfterTheKeyWasDeletedElsewhereDoesNotBringItBack(CommitPath path) throws IOException {
        for (HandBack how : HandBack.values()) {
            reset();
            oldWriteInDoubtAcrossACrash(put("k10", "written at t=238s"));
            handBack(how, new LogRecord.Tombstone(Table.OWN, "k10", 300, clock.instant()));
            assertThat(valueOf(node, "k10")).as("the install carried the deletion").isNull();

            TestNode after = commitOld(path, 200);

            assertThat(valueOf(after, "k10")).as("%s, %s", how, path).isNull();
            assertThat(valueOf(reopen(), "k10")).as("%s, %s, after another restart", how, path).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(CommitPath.class)
    void oldDeleteCommittedAfterANewerValueWasInstalledDoesNotRemoveIt(CommitPath path) throws IOException {
        for (HandBack how : HandBack.values()) {
            reset();
            oldWriteInDoubtAcrossACrash(delete("k10"));
            handBack(how, entry("k10", "written at t=264s", 300));

            TestNode after = commitOld(path, 200);

            assertThat(valueOf(after, "k10")).as("%s, %s", how, path).isEqualTo("written at t=264s@300");
            assertThat(valueOf(reopen(), "k10")).as("%s, %s", how, path).isEqualTo("written at t=264s@300");
        }
    }

    @Test
    void writeInDoubtThatIsNewerThanTheInstalledValueStillApplies() throws IOException {
        oldWriteInDoubtAcrossACrash(put("k10", "mine"));
        node.ranges().install(Table.OWN, new ByteArrayInputStream(frames(entry("k10", "copied", 150))));

        node.participant().commit("t-old", 200);

        assertThat(valueOf(node, "k10")).isEqualTo("mine@200");
    }

    @Test
    void aDeletionIsRememberedSoAnOlderCopyIsRefusedAndANewerOneInstalled() throws IOException {
        committed("t1", put("k", "v"), 5);
        committed("t2", delete("k"), 7);

        node.ranges().install(Table.OWN, new ByteArrayInputStream(frames(entry("k", "stale", 6))));
        assertThat(valueOf(node, "k")).as("older than the deletion").isNull();
        assertThat(valueOf(reopen(), "k")).as("and after a restart").isNull();

        node.ranges().install(Table.OWN, new ByteArrayInputStream(frames(entry("k", "recreated", 8))));
        assertThat(valueOf(node, "k")).isEqualTo("recreated@8");
    }

    @Test
    void voteReportsTheDeletionItRemembersSoTheNextVersionIsIssuedAboveIt() {
        committed("t1", put("k", "v"), 5);
        committed("t2", delete("k"), 70);

        Vote vote = node.participant().prepare("t3", put("k", "again"));

        assertThat(vote.currentVersion()).as("the key is absent").isZero();
        assertThat(vote.seenVersion()).isEqualTo(70);
    }

    @Test
    void deletionsSurviveASnapshotAndAreForgottenAtTheFirstSnapshotAfterTheirRetention() throws IOException {
        committed("t1", put("k", "v"), 5);
        committed("t2", delete("k"), 7);
        node.snapshots().snapshot();
        TestNode restarted = reopen();
        assertThat(restarted.tables().tombstone(Table.OWN, "k")).as("kept by the snapshot").isPresent();

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(restarted.tables().tombstone(Table.OWN, "k")).as("pruned only at a snapshot").isPresent();
        restarted.snapshots().snapshot();

        assertThat(restarted.tables().tombstone(Table.OWN, "k")).isEmpty();
        assertThat(reopen().tables().tombstone(Table.OWN, "k")).isEmpty();
    }

    @Test
    void exportCarriesDeletionsSoTheInstallRefusesTheOlderWriteThereToo() throws IOException {
        committed("t1", put("k", "v"), 5);
        committed("t2", delete("k"), 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        node.ranges().exportRange(Table.OWN, List.of(WHOLE_RING), out);
        TestNode other = TestNode.open("node-3", dir.resolve("other"), new WalOptions(FsyncPolicy.OFF, 1 << 20,
                1 << 30), Disk.REAL, new ParticipantOptions(DECISION_TIMEOUT, Duration.ofMinutes(10), 1 << 16), clock,
                transport);
        opened.add(other);

        other.ranges().install(Table.PREV, new ByteArrayInputStream(out.toByteArray()));
        other.ranges().install(Table.PREV, new ByteArrayInputStream(frames(entry("k", "stale", 6).in(Table.PREV))));

        assertThat(other.tables().tombstone(Table.PREV, "k")).map(t -> t.version()).contains(7L);
        assertThat(other.tables().get(Table.PREV, "k")).isEmpty();
    }

    @Test
    void aWriteInDoubtAtTheSourceTravelsWithTheCopyAndCommitsAtTheTargetWhenTheSourceDoes() throws IOException {
        committed("t1", put("k", "v"), 5);
        assertThat(node.participant().prepare("t-pending", put("k", "next")).yes()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        node.ranges().exportRange(Table.OWN, List.of(WHOLE_RING), out);
        Path otherDir = dir.resolve("other");
        TestNode other = openOther(otherDir);
        other.ranges().install(Table.PREV, new ByteArrayInputStream(out.toByteArray()));

        assertThat(other.participant().status("t-pending").state()).isEqualTo(TxnState.PREPARED);
        assertThat(other.replica().isHeld("k")).as("held at the target as at the source").isTrue();
        assertThat(other.tables().get(Table.PREV, "k")).map(v -> v.version()).contains(5L);

        node.participant().commit("t-pending", 6);
        TestNode restarted = openOther(otherDir);
        transport.coordinatorSays(TxnState.UNKNOWN, 0);
        transport.peerSays("node-1", TxnState.COMMITTED, 6);
        clock.advance(DECISION_TIMEOUT.plusSeconds(1));
        assertThat(restarted.resolver().resolveInDoubt()).isOne();

        assertThat(transport.asked).contains("node-1:t-pending");
        assertThat(restarted.tables().get(Table.PREV, "k"))
                .map(v -> new String(v.value(), StandardCharsets.UTF_8) + "@" + v.version()).contains("next@6");
    }

    @Test
    void aWriteVoidedByACleanupIsPendingAgainWhenTheCopyBringsItBackAndThenApplies() throws IOException {
        committed("t1", put("k", "v"), 5);
        PrepareRequest pending = put("k", "next");
        assertThat(node.participant().prepare("t-pending", pending).yes()).isTrue();
        node.ranges().dropRange(Table.OWN, List.of(WHOLE_RING));

        node.ranges().install(Table.OWN, new ByteArrayInputStream(ParticipantRangeTest.frames(List.of(entry("k", "v", 5)), false,
                List.of(new LogRecord.Prepare("t-pending", pending)))));
        TestNode restarted = reopen();
        restarted.participant().commit("t-pending", 6);

        assertThat(valueOf(restarted, "k")).isEqualTo("next@6");
    }

    private TestNode openOther(Path otherDir) throws IOException {
        TestNode other = TestNode.open("node-3", otherDir, new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 30),
                Disk.REAL, new ParticipantOptions(DECISION_TIMEOUT, Duration.ofMinutes(10), 1 << 16), clock, transport);
        opened.add(other);
        return other;
    }

    @Test
    void moveTakesTheDeletionsAlong() {
        PrepareRequest inPrev = new PrepareRequest("k", Table.PREV, WriteOp.PUT, new byte[] {1}, null, null, List.of());
        committed("t1", inPrev, 5);
        committed("t2", new PrepareRequest("k", Table.PREV, WriteOp.DELETE, null, null, null, List.of()), 7);

        node.ranges().moveRange(Table.PREV, Table.OWN, List.of(WHOLE_RING));
        node.ranges().install(Table.OWN, new ByteArrayInputStream(uncheckedFrames(entry("k", "stale", 6))));

        assertThat(node.tables().tombstone(Table.OWN, "k")).map(t -> t.version()).contains(7L);
        assertThat(node.tables().get(Table.OWN, "k")).isEmpty();
        assertThat(node.ranges().moveRange(Table.PREV, Table.OWN, List.of(WHOLE_RING)).keys()).as("a repeat moves nothing")
                .isZero();
        assertThat(node.tables().tombstoneCount(Table.PREV)).isZero();
    }

    private static byte[] uncheckedFrames(LogRecord.Row row) {
        try {
            return frames(row);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh node in a fresh directory, for the next case of a loop. */
    private void reset() throws IOException {
        dir = dir.resolve("case-" + opened.size());
        transport.coordinatorUnreachable();
        node = reopen();
    }
}
