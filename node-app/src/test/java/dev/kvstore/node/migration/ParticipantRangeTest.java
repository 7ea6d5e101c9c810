package dev.kvstore.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.KeyHash;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.participant.MutableClock;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.ScriptedTransport;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data migration on one participant: export, install, drop, move, count, their log records and replay. */
public class ParticipantRangeTest {

    private static final int KEYS = 300;

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final ScriptedTransport transport = new ScriptedTransport();
    final List<TestNode> opened = new ArrayList<>();
    final AtomicInteger txIds = new AtomicInteger();
    TestNode source;
    TestNode target;

    /** The test keys ordered by their ring hash, so ranges between their hashes select known index sets. */
    static final List<String> BY_HASH = IntStream.range(0, KEYS).mapToObj(i -> "key-" + i)
            .sorted(Comparator.comparingLong(KeyHash::of)).toList();

    @BeforeEach
    void open() throws IOException {
        source = open("source");
        target = open("target");
    }

    @AfterEach
    void closeAll() throws IOException {
        for (TestNode p : opened) {
            p.close();
        }
    }

    /** Opens (or, for a name already open, reopens as after kill -9: the old one is never closed first). */
    private TestNode open(String name) throws IOException {
        TestNode p = TestNode.open("node-" + name, dir.resolve(name), new WalOptions(FsyncPolicy.OFF, 1 << 20, 1 << 30),
                Disk.REAL, new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1 << 16), clock, transport);
        opened.add(p);
        return p;
    }

    private static String key(int index) {
        return BY_HASH.get(index);
    }

    private static long hash(int index) {
        return KeyHash.of(key(index));
    }

    /** Keys of the given sorted-by-hash indexes. */
    private static Set<String> keys(IntStream indexes) {
        return indexes.mapToObj(ParticipantRangeTest::key).collect(Collectors.toSet());
    }

    /** The range holding exactly the keys with sorted indexes {@code from + 1 .. to}. */
    private static HashRange after(int from, int to) {
        return new HashRange(hash(from), hash(to));
    }

    private void commit(TestNode p, Table table, String key, String value, long version) {
        String txId = "t" + txIds.incrementAndGet();
        Vote vote = p.participant().prepare(txId, new PrepareRequest(key, table, WriteOp.PUT, value.getBytes(StandardCharsets.UTF_8),
                "text/plain", null, List.of()));
        assertThat(vote.yes()).as("prepare of %s", key).isTrue();
        p.participant().commit(txId, version);
        p.log().awaitAllDurable(); // what the COMMIT's background sync does a moment later
    }

    private void fill(TestNode p, Table table, long version) {
        for (int i = 0; i < KEYS; i++) {
            commit(p, table, key(i), "value-" + i, version + i);
        }
    }

    private static byte[] export(TestNode p, Table table, List<HashRange> ranges) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.ranges().exportRange(table, ranges, out);
        return out.toByteArray();
    }

    private static RangeResult install(TestNode p, Table table, byte[] frames) {
        return p.ranges().install(table, new ByteArrayInputStream(frames));
    }

    /** key -> "value@version" of one table, for whole-table comparisons. */
    private static Map<String, String> contents(TestNode p, Table table) {
        Map<String, String> out = new TreeMap<>();
        p.tables().forEach(table, (key, stored) ->
                out.put(key, new String(stored.value(), StandardCharsets.UTF_8) + "@" + stored.version()));
        return out;
    }

    private static String valueOf(TestNode p, Table table, String key) {
        return p.tables().get(table, key)
                .map(v -> new String(v.value(), StandardCharsets.UTF_8) + "@" + v.version()).orElse(null);
    }

    /** Frames as {@link TestNode#exportRange} writes them, optionally without the end marker. */
    public static byte[] frames(List<? extends LogRecord.Row> entries, boolean end) throws IOException {
        return frames(entries, !end, List.of());
    }

    /** Rows, then writes in doubt, then the end marker unless {@code cut}. */
    public static byte[] frames(List<? extends LogRecord.Row> entries, boolean cut, List<LogRecord.Prepare> inDoubt)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        List<LogRecord> records = new ArrayList<>(entries);
        records.addAll(inDoubt);
        for (LogRecord record : records) {
            byte[] payload = LogRecord.encode(record);
            out.writeInt(payload.length);
            out.write(payload);
        }
        if (!cut) {
            out.writeInt(0);
        }
        return bytes.toByteArray();
    }

    private static List<LogRecord.Entry> entries(int count, long version) {
        return IntStream.range(0, count).mapToObj(i -> new LogRecord.Entry(Table.OWN, "copied-" + i,
                ("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain", version)).toList();
    }

    @Nested
    class ExportAndInstall {

        @Test
        void roundTripCopiesExactlyTheKeysInTheRangesIncludingAWrapAroundRange() throws IOException {
            fill(source, Table.OWN, 100);
            List<HashRange> ranges = List.of(after(49, 99), new HashRange(hash(KEYS - 21), hash(9)));
            Set<String> expected = keys(IntStream.concat(IntStream.rangeClosed(50, 99),
                    IntStream.concat(IntStream.range(KEYS - 20, KEYS), IntStream.rangeClosed(0, 9))));

            byte[] stream = export(source, Table.OWN, ranges);
            RangeResult result = install(target, Table.PREV, stream);

            assertThat(expected).hasSize(80);
            assertThat(result.keys()).isEqualTo(80);
            assertThat(contents(target, Table.PREV).keySet()).isEqualTo(expected);
            assertThat(contents(target, Table.OWN)).isEmpty();
            for (String key : expected) {
                StoredValue copied = target.tables().get(Table.PREV, key).orElseThrow();
                StoredValue original = source.tables().get(Table.OWN, key).orElseThrow();
                assertThat(copied.value()).isEqualTo(original.value());
                assertThat(copied.version()).isEqualTo(original.version());
                assertThat(copied.contentType()).isEqualTo("text/plain");
            }
            assertThat(source.ranges().count(Table.OWN, ranges).keys()).isEqualTo(80);
            assertThat(contents(source, Table.OWN)).as("export changes nothing").hasSize(KEYS);
        }

        @Test
        void exportOfAnEmptyRangeListIsJustTheEndMarker() throws IOException {
            fill(source, Table.OWN, 1);

            assertThat(export(source, Table.OWN, List.of())).containsExactly(0, 0, 0, 0);
        }

        @Test
        void wholeRingRangeSelectsEveryKeyOfTheTableAndNoOther() throws IOException {
            fill(source, Table.PREV, 1);
            commit(source, Table.OWN, "only-in-own", "x", 1);

            RangeResult result = install(target, Table.PREV, export(source, Table.PREV, List.of(new HashRange(7, 7))));

            assertThat(result.keys()).isEqualTo(KEYS);
            assertThat(contents(target, Table.PREV)).isEqualTo(contents(source, Table.PREV));
        }

        @Test
        void installNeverReplacesAnEqualOrNewerVersion() throws IOException {
            commit(source, Table.OWN, key(1), "old", 5);
            commit(source, Table.OWN, key(2), "same-version-other-bytes", 7);
            commit(source, Table.OWN, key(3), "newer", 9);
            commit(source, Table.OWN, key(4), "absent-here", 2);
            commit(target, Table.OWN, key(1), "kept", 6);
            commit(target, Table.OWN, key(2), "kept", 7);
            commit(target, Table.OWN, key(3), "replaced", 8);

            RangeResult result = install(target, Table.OWN, export(source, Table.OWN, List.of(new HashRange(0, 0))));

            assertThat(result.keys()).isEqualTo(2);
            assertThat(valueOf(target, Table.OWN, key(1))).isEqualTo("kept@6");
            assertThat(valueOf(target, Table.OWN, key(2))).isEqualTo("kept@7");
            assertThat(valueOf(target, Table.OWN, key(3))).isEqualTo("newer@9");
            assertThat(valueOf(target, Table.OWN, key(4))).isEqualTo("absent-here@2");
        }

        @Test
        void repeatingAnInstallInstallsNothingAndChangesNothing() throws IOException {
            fill(source, Table.OWN, 1);
            byte[] stream = export(source, Table.OWN, List.of(after(10, 250)));
            install(target, Table.OWN, stream);
            Map<String, String> once = contents(target, Table.OWN);
            long logged = target.log().stats().appends();

            RangeResult again = install(target, Table.OWN, stream);

            assertThat(once).hasSize(240);
            assertThat(again.keys()).isZero();
            assertThat(contents(target, Table.OWN)).isEqualTo(once);
            assertThat(target.log().stats().appends()).as("nothing logged").isEqualTo(logged);
        }

        @Test
        void aKeyRepeatedInOneStreamEndsAtItsNewestVersion() throws IOException {
            LogRecord.Entry newer = new LogRecord.Entry(Table.OWN, "k", "new".getBytes(StandardCharsets.UTF_8), null, 9);
            LogRecord.Entry older = new LogRecord.Entry(Table.OWN, "k", "old".getBytes(StandardCharsets.UTF_8), null, 3);

            RangeResult result = install(target, Table.OWN, frames(List.of(newer, older), true));

            assertThat(result.keys()).isOne();
            assertThat(valueOf(target, Table.OWN, "k")).isEqualTo("new@9");
            assertThat(target.tables().get(Table.OWN, "k").orElseThrow().contentType())
                    .isEqualTo("application/octet-stream");
        }

        @Test
        void installSpanningSeveralBatchesInstallsEveryEntry() throws IOException {
            int count = RangeInstaller.INSTALL_BATCH_ENTRIES * 2 + 345;

            RangeResult result = install(target, Table.OWN, frames(entries(count, 4), true));

            assertThat(result.keys()).isEqualTo(count);
            assertThat(target.tables().size(Table.OWN)).isEqualTo(count);
        }
    }

    @Nested
    class BrokenStreams {

        @Test
        void streamCutInTheMiddleOfAFrameInstallsWhatCameBeforeAndSaysItWasCutOff() throws IOException {
            byte[] whole = frames(entries(5, 3), true);
            int fourthFrameStart = frames(entries(3, 3), false).length;
            byte[] cut = Arrays.copyOf(whole, fourthFrameStart + 7);

            assertThatThrownBy(() -> install(target, Table.OWN, cut))
                    .isInstanceOfSatisfying(RangeStreamException.class, e -> {
                        assertThat(e.kind()).isEqualTo(RangeStreamException.Kind.TRUNCATED);
                        assertThat(e.installed()).isEqualTo(3);
                        assertThat(e.received()).isEqualTo(3);
                    })
                    .hasMessageContaining("cut off in the middle of frame 4")
                    .hasMessageContaining("3 keys installed");

            assertThat(contents(target, Table.OWN).keySet()).containsExactlyInAnyOrder("copied-0", "copied-1", "copied-2");
            commit(target, Table.OWN, "afterwards", "still writable", 10);
            assertThat(valueOf(target, Table.OWN, "afterwards")).isEqualTo("still writable@10");
        }

        @Test
        void streamEndingBetweenFramesWithoutItsEndMarkerIsReportedAsCutOff() throws IOException {
            byte[] noEnd = frames(entries(2, 3), false);

            assertThatThrownBy(() -> install(target, Table.OWN, noEnd))
                    .isInstanceOfSatisfying(RangeStreamException.class,
                            e -> assertThat(e.kind()).isEqualTo(RangeStreamException.Kind.TRUNCATED))
                    .hasMessageContaining("ended after 2 entries without its end marker");
            assertThat(target.tables().size(Table.OWN)).isEqualTo(2);
        }

        @Test
        void streamThatFailsToReadIsReportedWithTheCauseAndKeepsWhatCameBefore() throws IOException {
            byte[] first = frames(entries(1, 3), false);
            InputStream failing = new InputStream() {
                int position;

                @Override
                public int read() throws IOException {
                    if (position < first.length) {
                        return first[position++] & 0xFF;
                    }
                    throw new IOException("connection reset");
                }
            };

            assertThatThrownBy(() -> target.ranges().install(Table.OWN, failing))
                    .isInstanceOf(RangeStreamException.class).hasMessageContaining("connection reset");
            assertThat(target.tables().size(Table.OWN)).isOne();
        }

        @Test
        void frameThatIsNotAnEntryIsMalformedAndStopsTheInstall() throws IOException {
            byte[] good = frames(entries(1, 3), false);
            byte[] commit = LogRecord.encode(new LogRecord.Commit("t", 1));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(good);
            out.writeInt(commit.length);
            out.write(commit);
            out.write(frames(entries(3, 3), true));

            assertThatThrownBy(() -> install(target, Table.OWN, bytes.toByteArray()))
                    .isInstanceOfSatisfying(RangeStreamException.class,
                            e -> assertThat(e.kind()).isEqualTo(RangeStreamException.Kind.MALFORMED))
                    .hasMessageContaining("frame 2 holds a Commit, not an entry");
            assertThat(contents(target, Table.OWN).keySet()).containsExactly("copied-0");
        }

        @Test
        void frameDeclaringANegativeOrHugeLengthIsMalformed() throws IOException {
            for (int length : new int[] {-1, Integer.MAX_VALUE}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                new DataOutputStream(bytes).writeInt(length);

                assertThatThrownBy(() -> install(target, Table.OWN, bytes.toByteArray()))
                        .isInstanceOfSatisfying(RangeStreamException.class,
                                e -> assertThat(e.kind()).isEqualTo(RangeStreamException.Kind.MALFORMED))
                        .hasMessageContaining("declares " + length + " bytes");
            }
        }

        @Test
        void entryWithAnInvalidKeyOrVersionIsMalformed() throws IOException {
            byte[] emptyKey = frames(List.of(new LogRecord.Entry(Table.OWN, "", new byte[1], null, 1)), true);
            byte[] zeroVersion = frames(List.of(new LogRecord.Entry(Table.OWN, "k", new byte[1], null, 0)), true);

            assertThatThrownBy(() -> install(target, Table.OWN, emptyKey)).hasMessageContaining("the key is empty");
            assertThatThrownBy(() -> install(target, Table.OWN, zeroVersion)).hasMessageContaining("version 0");
            assertThat(target.tables().size(Table.OWN)).isZero();
        }

        @Test
        void cutOffInstallSurvivesReopenAndARepeatedCopyCompletesIt() throws IOException {
            int count = RangeInstaller.INSTALL_BATCH_ENTRIES + 500;
            byte[] whole = frames(entries(count, 3), true);
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            assertThatThrownBy(() -> install(target, Table.OWN, cut)).isInstanceOf(RangeStreamException.class);
            int installedBeforeTheCut = target.tables().size(Table.OWN);

            TestNode recovered = open("target");

            assertThat(installedBeforeTheCut).isBetween(1, count - 1);
            assertThat(recovered.tables().size(Table.OWN)).isEqualTo(installedBeforeTheCut);
            assertThat(install(recovered, Table.OWN, whole).keys()).isEqualTo(count - installedBeforeTheCut);
            assertThat(recovered.tables().size(Table.OWN)).isEqualTo(count);
        }
    }

    @Nested
    class DropMoveAndCount {

        @Test
        void dropDeletesExactlyTheKeysInTheRangesAndARepeatDeletesNothing() {
            fill(target, Table.OWN, 1);
            fill(target, Table.PREV, 1);
            List<HashRange> ranges = List.of(new HashRange(hash(KEYS - 11), hash(4)), after(100, 120));

            RangeResult dropped = target.ranges().dropRange(Table.OWN, ranges);

            Set<String> gone = keys(IntStream.concat(IntStream.concat(IntStream.range(KEYS - 10, KEYS),
                    IntStream.rangeClosed(0, 4)), IntStream.rangeClosed(101, 120)));
            assertThat(dropped.keys()).isEqualTo(35);
            assertThat(contents(target, Table.OWN).keySet()).hasSize(KEYS - 35).doesNotContainAnyElementsOf(gone);
            assertThat(target.tables().size(Table.PREV)).as("the other table").isEqualTo(KEYS);
            assertThat(target.ranges().count(Table.OWN, ranges).keys()).isZero();
            long logged = target.log().stats().appends();
            assertThat(target.ranges().dropRange(Table.OWN, ranges).keys()).isZero();
            assertThat(target.log().stats().appends()).as("a drop with nothing to drop logs nothing").isEqualTo(logged);
        }

        @Test
        void movePrevToOwnTakesTheEntriesInTheRanges() {
            fill(target, Table.PREV, 10);
            List<HashRange> ranges = List.of(after(0, 150));

            RangeResult moved = target.ranges().moveRange(Table.PREV, Table.OWN, ranges);

            assertThat(moved.keys()).isEqualTo(150);
            assertThat(contents(target, Table.OWN).keySet()).isEqualTo(keys(IntStream.rangeClosed(1, 150)));
            assertThat(valueOf(target, Table.OWN, key(7))).isEqualTo("value-7@17");
            assertThat(target.tables().size(Table.PREV)).isEqualTo(KEYS - 150);
            assertThat(target.ranges().moveRange(Table.PREV, Table.OWN, ranges).keys()).as("repeated").isZero();
            assertThat(target.tables().size(Table.OWN)).isEqualTo(150);
        }

        @Test
        void moveOwnToPrevTakesTheEntriesInTheRanges() {
            fill(target, Table.OWN, 10);
            List<HashRange> ranges = List.of(new HashRange(hash(KEYS - 2), hash(0)));

            RangeResult moved = target.ranges().moveRange(Table.OWN, Table.PREV, ranges);

            assertThat(moved.keys()).isEqualTo(2);
            assertThat(contents(target, Table.PREV).keySet()).isEqualTo(Set.of(key(KEYS - 1), key(0)));
            assertThat(target.tables().size(Table.OWN)).isEqualTo(KEYS - 2);
        }

        @Test
        void moveOntoANewerEntryKeepsTheNewerOneAndStillEmptiesTheSourceTable() {
            commit(target, Table.PREV, key(1), "older-in-prev", 5);
            commit(target, Table.OWN, key(1), "newer-in-own", 8);
            commit(target, Table.PREV, key(2), "equal-in-prev", 8);
            commit(target, Table.OWN, key(2), "equal-in-own", 8);
            commit(target, Table.PREV, key(3), "newer-in-prev", 9);
            commit(target, Table.OWN, key(3), "older-in-own", 4);

            RangeResult moved = target.ranges().moveRange(Table.PREV, Table.OWN, List.of(new HashRange(0, 0)));

            assertThat(moved.keys()).isEqualTo(3);
            assertThat(valueOf(target, Table.OWN, key(1))).isEqualTo("newer-in-own@8");
            assertThat(valueOf(target, Table.OWN, key(2))).isEqualTo("equal-in-own@8");
            assertThat(valueOf(target, Table.OWN, key(3))).isEqualTo("newer-in-prev@9");
            assertThat(target.tables().size(Table.PREV)).isZero();
        }

        @Test
        void invalidRequestsAreRefusedWithTheReasonAndChangeNothing() {
            fill(target, Table.OWN, 1);

            assertThatThrownBy(() -> target.ranges().dropRange(null, List.of())).isInstanceOf(InvalidRangeException.class)
                    .hasMessageContaining("table is required");
            assertThatThrownBy(() -> target.ranges().dropRange(Table.OWN, null)).isInstanceOf(InvalidRangeException.class)
                    .hasMessageContaining("ranges is required");
            assertThatThrownBy(() -> target.ranges().count(Table.OWN, Arrays.asList(new HashRange(0, 0), null)))
                    .isInstanceOf(InvalidRangeException.class).hasMessageContaining("ranges[1] is null");
            assertThatThrownBy(() -> target.ranges().moveRange(Table.OWN, Table.OWN, List.of(new HashRange(0, 0))))
                    .isInstanceOf(InvalidRangeException.class).hasMessageContaining("both OWN");
            assertThatThrownBy(() -> target.ranges().exportRange(null, List.of(), new ByteArrayOutputStream()))
                    .isInstanceOf(InvalidRangeException.class);
            assertThat(target.tables().size(Table.OWN)).isEqualTo(KEYS);
        }
    }

    @Nested
    class Durability {

        /** Installs into PREV, moves part of it to OWN, drops part of OWN, moves part of OWN back. */
        private void migrate() throws IOException {
            fill(source, Table.OWN, 100);
            install(target, Table.PREV, export(source, Table.OWN, List.of(after(19, 200))));
            target.ranges().moveRange(Table.PREV, Table.OWN, List.of(after(49, 150)));
            target.ranges().dropRange(Table.OWN, List.of(after(59, 70)));
            target.ranges().moveRange(Table.OWN, Table.PREV, List.of(after(139, 150)));
        }

        @Test
        void everyOperationSurvivesACrashWithoutClose() throws IOException {
            migrate();
            Map<String, String> own = contents(target, Table.OWN);
            Map<String, String> prev = contents(target, Table.PREV);

            TestNode recovered = open("target");

            assertThat(own.keySet()).isEqualTo(keys(IntStream.concat(IntStream.rangeClosed(50, 59),
                    IntStream.rangeClosed(71, 139))));
            assertThat(prev).hasSize(181 - own.size() - 11);
            assertThat(contents(recovered, Table.OWN)).isEqualTo(own);
            assertThat(contents(recovered, Table.PREV)).isEqualTo(prev);
        }

        @Test
        void everyOperationSurvivesASnapshotAndReopen() throws IOException {
            migrate();
            target.snapshots().snapshot();
            install(target, Table.OWN, frames(entries(3, 2), true));
            target.ranges().dropRange(Table.PREV, List.of(after(19, 30)));
            Map<String, String> own = contents(target, Table.OWN);
            Map<String, String> prev = contents(target, Table.PREV);

            TestNode recovered = open("target");

            assertThat(recovered.replica().recoveryReport().snapshotGeneration()).isPositive();
            assertThat(recovered.replica().recoveryReport().logRecords()).isEqualTo(4);
            assertThat(contents(recovered, Table.OWN)).isEqualTo(own);
            assertThat(contents(recovered, Table.PREV)).isEqualTo(prev);
        }

        @Test
        void replayAppliesADropToWhatTheTableHeldAtThatPointOfTheLog() throws IOException {
            List<HashRange> all = List.of(new HashRange(0, 0));
            commit(target, Table.OWN, "before", "x", 1);
            target.ranges().dropRange(Table.OWN, all);
            commit(target, Table.OWN, "after-commit", "y", 2);
            install(target, Table.OWN, frames(List.of(new LogRecord.Entry(Table.OWN, "after-install",
                    new byte[] {1}, "a/b", 3)), true));

            TestNode recovered = open("target");

            assertThat(contents(recovered, Table.OWN).keySet()).containsExactlyInAnyOrder("after-commit", "after-install");
        }

        @Test
        void replayedInstallStillNeverGoesBackInTime() throws IOException {
            install(target, Table.OWN, frames(List.of(new LogRecord.Entry(Table.OWN, "k",
                    "copied".getBytes(StandardCharsets.UTF_8), null, 5)), true));
            commit(target, Table.OWN, "k", "written", 9);
            install(target, Table.OWN, frames(List.of(new LogRecord.Entry(Table.OWN, "k",
                    "stale".getBytes(StandardCharsets.UTF_8), null, 7)), true));

            TestNode recovered = open("target");

            assertThat(valueOf(recovered, Table.OWN, "k")).isEqualTo("written@9");
        }

        @Test
        void installTornByACrashMidBatchRecoversToAPrefixThatARepeatedCopyCompletes() throws IOException {
            int count = RangeInstaller.INSTALL_BATCH_ENTRIES + 700;
            byte[] stream = frames(entries(count, 6), true);
            install(target, Table.OWN, stream);
            Path newest;
            try (Stream<Path> files = Files.list(dir.resolve("target"))) {
                newest = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                        .max(Comparator.naturalOrder()).orElseThrow();
            }
            try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() * 3 / 4);
            }
            // Whether or not the cut fell between records, end on a record header promising more than follows.
            Files.write(newest, new byte[] {0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);

            TestNode recovered = open("target");
            int survived = recovered.tables().size(Table.OWN);

            assertThat(recovered.replica().recoveryReport().damage()).as("a torn tail was cut off").isPresent();
            assertThat(survived).isBetween(count / 2, count - 1);
            assertThat(install(recovered, Table.OWN, stream).keys()).isEqualTo(count - survived);
            assertThat(recovered.tables().size(Table.OWN)).isEqualTo(count);
            assertThat(contents(open("target"), Table.OWN)).as("and that survives too").hasSize(count);
        }
    }

    @Nested
    class TransactionsInDoubt {

        private final HashRange everything = new HashRange(0, 0);

        private void prepare(TestNode p, String txId, Table table, String key, String value) {
            assertThat(p.participant().prepare(txId, new PrepareRequest(key, table, WriteOp.PUT,
                    value.getBytes(StandardCharsets.UTF_8), "text/plain", null, List.of())).yes()).isTrue();
        }

        @Test
        void moveTakesAWriteInDoubtAlongSoItsCommitLandsInTheTableTheKeyMovedTo() {
            commit(target, Table.PREV, "k", "v1", 1);
            prepare(target, "pending", Table.PREV, "k", "v2");

            target.ranges().moveRange(Table.PREV, Table.OWN, List.of(everything));
            target.participant().commit("pending", 2);

            assertThat(valueOf(target, Table.OWN, "k")).isEqualTo("v2@2");
            assertThat(target.tables().get(Table.PREV, "k")).isEmpty();
        }

        @Test
        void movedWriteInDoubtStillLandsInTheNewTableAfterReopenAndAfterASnapshot() throws IOException {
            prepare(target, "pending", Table.OWN, "k", "v1");
            prepare(target, "also-pending", Table.OWN, "j", "v1");
            target.ranges().moveRange(Table.OWN, Table.PREV, List.of(everything));

            TestNode replayed = open("target");
            replayed.participant().commit("pending", 3);
            replayed.snapshots().snapshot();
            TestNode fromSnapshot = open("target");
            fromSnapshot.participant().commit("also-pending", 4);

            assertThat(valueOf(replayed, Table.PREV, "k")).isEqualTo("v1@3");
            assertThat(replayed.tables().get(Table.OWN, "k")).isEmpty();
            assertThat(valueOf(fromSnapshot, Table.PREV, "j")).isEqualTo("v1@4");
            assertThat(fromSnapshot.tables().size(Table.OWN)).isZero();
        }

        @Test
        void dropDeletesTheCommittedEntryAndVoidsAWriteInDoubtWhichKeepsItsOutcomeButNeverRecreatesTheKey() {
            commit(target, Table.OWN, "k", "v1", 1);
            prepare(target, "pending", Table.OWN, "k", "v2");

            assertThat(target.ranges().dropRange(Table.OWN, List.of(everything)).keys()).isOne();
            assertThat(target.tables().get(Table.OWN, "k")).isEmpty();
            assertThat(target.participant().prepare("other", new PrepareRequest("k", Table.OWN, WriteOp.PUT, new byte[1], null,
                    null, List.of())).reason()).as("the key stays held").isEqualTo(Vote.LOCKED);

            assertThat(target.participant().commit("pending", 2).state()).isEqualTo(TxnState.COMMITTED);
            assertThat(target.tables().get(Table.OWN, "k")).as("no stray copy").isEmpty();
            assertThat(target.replica().isHeld("k")).isFalse();
        }

        @Test
        void dropOfARangeHoldingOnlyAWriteInDoubtIsStillLoggedSoTheVoidSurvivesReopen() throws IOException {
            prepare(target, "pending", Table.PREV, "k", "v1");

            assertThat(target.ranges().dropRange(Table.PREV, List.of(everything)).keys()).isZero();
            TestNode recovered = open("target");
            recovered.participant().commit("pending", 2);

            assertThat(recovered.tables().get(Table.PREV, "k")).isEmpty();
        }

        @Test
        void installUnderAKeyInDoubtUpdatesTheCommittedEntryAndTheCommitStillApplies() throws IOException {
            commit(target, Table.PREV, "k", "v1", 1);
            prepare(target, "pending", Table.PREV, "k", "mine");

            RangeResult result = install(target, Table.PREV, frames(List.of(new LogRecord.Entry(Table.OWN, "k",
                    "copied".getBytes(StandardCharsets.UTF_8), null, 5)), true));

            assertThat(result.keys()).isOne();
            assertThat(valueOf(target, Table.PREV, "k")).isEqualTo("copied@5");
            assertThat(target.participant().status("pending").state()).isEqualTo(TxnState.PREPARED);
            TestNode recovered = open("target");
            assertThat(valueOf(recovered, Table.PREV, "k")).isEqualTo("copied@5");
            target.participant().commit("pending", 9);
            recovered.participant().commit("pending", 9);
            assertThat(valueOf(target, Table.PREV, "k")).isEqualTo("mine@9");
            assertThat(valueOf(recovered, Table.PREV, "k")).isEqualTo("mine@9");
        }

        @Test
        void installLeavesNoKeyHeldAfterwards() throws IOException {
            install(target, Table.OWN, frames(entries(10, 1), true));

            assertThat(target.participant().prepare("next", new PrepareRequest("copied-3", Table.OWN, WriteOp.PUT, new byte[1],
                    null, null, List.of())).yes()).isTrue();
        }
    }
}
