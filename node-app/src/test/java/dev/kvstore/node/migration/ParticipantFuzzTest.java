package dev.kvstore.node.migration;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import dev.kvstore.node.TestNode;
import dev.kvstore.node.participant.MutableClock;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.ScriptedTransport;
import dev.kvstore.node.replica.LogRecord;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.FsyncPolicy;
import dev.kvstore.node.wal.WalOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;

/**
 * The participant's readers of bytes it did not write itself: a log payload that passed its checksum
 * but does not decode, and the entry stream another node exports for a range copy. Each either
 * yields its result or fails the one documented way.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs in {@code ParticipantFuzzTestInputs/}; to
 * fuzz, see the README ("Bad input and limits").
 */
class ParticipantFuzzTest {

    private static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    private static Path dir;
    private static TestNode participant;
    private static Level logLevel;

    /** Opened on the first input: Jazzer's agent only instruments classes loaded after {@code @BeforeAll}. */
    private static TestNode participant() throws IOException {
        if (participant == null) {
            open();
        }
        return participant;
    }

    private static void open() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(RangeMigration.class);
        logLevel = logger.getLevel();
        logger.setLevel(Level.OFF);
        dir = Files.createTempDirectory(SCRATCH, "participant-fuzz-");
        participant = TestNode.open("node-fuzz", dir, new WalOptions(FsyncPolicy.OFF, 1 << 16, 1L << 40), Disk.REAL,
                new ParticipantOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 1 << 12), new MutableClock(),
                new ScriptedTransport());
    }

    @AfterAll
    static void close() throws IOException {
        if (participant == null) {
            return;
        }
        participant.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        ((Logger) LoggerFactory.getLogger(RangeMigration.class)).setLevel(logLevel);
    }

    /** Recovery treats a payload that does not decode as a bug to stop at, and says so one way. */
    @FuzzTest(maxDuration = "5s")
    void logPayloadDecodesOrFailsAsUndecodable(byte[] payload) {
        try {
            LogRecord record = LogRecord.decode(payload);
            assertThat(record).isNotNull();
        } catch (IllegalStateException undecodable) {
            // The documented failure.
        }
    }

    /** A range copy's source is another process: whatever it sends installs entries or is refused. */
    @FuzzTest(maxDuration = "5s")
    void exportStreamInstallsEntriesOrStopsWithARangeStreamException(byte[] stream) throws IOException {
        TestNode participant = participant();
        try {
            RangeResult result = participant.ranges().install(Table.PREV, new ByteArrayInputStream(stream));
            assertThat(result.keys()).isNotNegative();
        } catch (RangeStreamException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertThat(refused.installed()).isNotNegative();
        }
    }
}
