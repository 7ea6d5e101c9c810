package dev.kvstore.node.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.participant.MutableClock;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.ScriptedTransport;
import dev.kvstore.node.wal.DelegatingFileChannel;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalException;
import dev.kvstore.node.wal.WalOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose log failed is rebuilt from what its disk made durable and takes writes again without a
 * restart; a disk below its high watermark refuses new values and takes deletes.
 */
class ParticipantLogRepairTest {

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final AtomicBoolean fsyncFails = new AtomicBoolean();
    final AtomicBoolean room = new AtomicBoolean(true);
    /** Log segment fsyncs fail while {@link #fsyncFails} is set; everything else is the real disk. */
    final Disk disk = new Disk() {
        @Override
        public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
            boolean segment = path.getFileName().toString().startsWith("wal-");
            return new DelegatingFileChannel(FileChannel.open(path, options)) {
                @Override
                public void force(boolean metaData) throws IOException {
                    if (segment && fsyncFails.get()) {
                        throw new IOException("EIO from the test disk");
                    }
                    super.force(metaData);
                }
            };
        }
    };
    TestNode node;
    Participant participant;

    @BeforeEach
    void open() throws IOException {
        node = TestNode.open("node-test", dir, new WalOptions(FsyncPolicy.ALWAYS, 1 << 20, 1L << 30), disk,
                new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1024, Duration.ofDays(1),
                        room::get), clock, new ScriptedTransport());
        participant = node.participant();
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    private static PrepareRequest put(String key, String value) {
        return new PrepareRequest(key, Table.OWN, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8), "text/plain",
                null, List.of("peer"));
    }

    private Optional<String> read(String key) {
        return node.tables().get(Table.OWN, key).map(v -> new String(v.value(), StandardCharsets.UTF_8));
    }

    @Test
    void aReplicaWhoseLogFailedIsRebuiltFromWhatWasDurableAndItsLostCommitIsInDoubtAgain() throws IOException {
        assertThat(participant.prepare("t1", put("a", "1")).yes()).isTrue();
        participant.commit("t1", 10);
        node.log().awaitAllDurable(); // what the COMMIT's background sync does a moment later
        assertThat(participant.prepare("t2", put("b", "2")).yes()).isTrue();

        fsyncFails.set(true);
        assertThat(participant.commit("t2", 20).state()).as("a COMMIT is answered before it is durable")
                .isEqualTo(TxnState.COMMITTED);
        assertThatThrownBy(() -> participant.prepare("t3", put("c", "3"))).isInstanceOf(WalException.class);
        assertThat(node.log().isWritable()).isFalse();
        fsyncFails.set(false);
        long before = node.replica().stateGeneration();

        node.replica().reopenLog();

        assertThat(node.log().isWritable()).isTrue();
        assertThat(node.replica().stateGeneration()).as("a rebuild tells readers it happened").isEqualTo(before + 2);
        assertThat(read("a")).contains("1");
        assertThat(read("b")).as("its COMMIT was never durable").isEmpty();
        assertThat(participant.inDoubt()).as("t2 voted yes durably, so it is in doubt again").isEqualTo(1);
        assertThat(node.replica().isHeld("b")).isTrue();
        assertThat(node.replica().isHeld("c")).as("t3's PREPARE was never durable").isFalse();

        assertThat(participant.commit("t2", 20).state()).as("the decision comes again").isEqualTo(TxnState.COMMITTED);
        assertThat(read("b")).contains("2");
        assertThat(participant.prepare("t4", put("c", "4")).yes()).isTrue();
        participant.commit("t4", 30);
        assertThat(read("c")).contains("4");
    }

    @Test
    void readsAnswerHeldWhileARebuildFailedSoNothingHalfRebuiltIsServed() throws IOException {
        assertThat(participant.prepare("t1", put("a", "1")).yes()).isTrue();
        participant.commit("t1", 10);
        node.log().awaitAllDurable();
        fsyncFails.set(true);
        assertThatThrownBy(() -> participant.prepare("t2", put("b", "2"))).isInstanceOf(WalException.class);

        assertThatThrownBy(node.replica()::reopenLog).as("the disk still fails").isInstanceOf(IOException.class);
        assertThat(node.replica().isHeld("a")).isTrue();
        assertThat(node.replica().stateGeneration() % 2).isEqualTo(1);

        fsyncFails.set(false);
        node.replica().reopenLog();
        assertThat(node.replica().isHeld("a")).isFalse();
        assertThat(read("a")).contains("1");
    }

    @Test
    void theRepairTimerWaitsForRoomOnTheDiskThenReopensTheLogAndSaysSo() throws IOException {
        AtomicInteger healed = new AtomicInteger();
        LogRepair repair = new LogRepair(node.log(), node.replica(), room::get, healed::incrementAndGet, clock);
        assertThat(repair.tick()).as("nothing to repair").isTrue();
        assertThat(healed).hasValue(0);

        fsyncFails.set(true);
        assertThatThrownBy(() -> participant.prepare("t1", put("a", "1"))).isInstanceOf(WalException.class);
        fsyncFails.set(false);
        room.set(false);
        assertThat(repair.tick()).isFalse();
        assertThat(node.log().isWritable()).isFalse();

        room.set(true);
        assertThat(repair.tick()).isTrue();
        assertThat(healed).hasValue(1);
        assertThat(node.log().isWritable()).isTrue();
    }

    @Test
    void aDiskBelowItsHighWatermarkRefusesNewValuesButTakesDeletes() {
        assertThat(participant.prepare("t1", put("a", "1")).yes()).isTrue();
        participant.commit("t1", 10);
        room.set(false);

        Vote refused = participant.prepare("t2", put("b", "2"));
        assertThat(refused.yes()).isFalse();
        assertThat(refused.reason()).isEqualTo(Vote.NO_SPACE);
        assertThat(node.replica().isHeld("b")).isFalse();

        Vote delete = participant.prepare("t3", new PrepareRequest("a", Table.OWN, WriteOp.DELETE, null, null, null,
                List.of("peer")));
        assertThat(delete.yes()).isTrue();
        participant.commit("t3", 20);
        assertThat(read("a")).isEmpty();
    }
}
