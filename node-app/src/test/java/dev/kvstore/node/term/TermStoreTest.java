package dev.kvstore.node.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.node.term.TermStore.Admission;
import dev.kvstore.node.wal.DelegatingFileChannel;
import dev.kvstore.node.wal.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable highest coordinator term: what is admitted, what survives a crash and a reopen. */
class TermStoreTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryWithoutATermFileIsTermZero() throws IOException {
        TermStore terms = TermStore.open(dir.resolve("fresh"), Disk.REAL);

        assertThat(terms.highest()).isZero();
        assertThat(terms.admit(1)).isEqualTo(Admission.RAISED);
    }

    @Test
    void aNewerTermIsKeptAndSurvivesAReopen() throws IOException {
        TermStore terms = TermStore.open(dir, Disk.REAL);

        assertThat(terms.admit(7)).isEqualTo(Admission.RAISED);
        assertThat(terms.admit(7)).isEqualTo(Admission.CURRENT);
        assertThat(terms.admit(6)).isEqualTo(Admission.STALE);
        assertThat(terms.highest()).isEqualTo(7);

        TermStore reopened = TermStore.open(dir, Disk.REAL);
        assertThat(reopened.highest()).isEqualTo(7);
        assertThat(reopened.admit(6)).isEqualTo(Admission.STALE);
        assertThat(Files.readString(dir.resolve(TermStore.FILE))).isEqualTo("7\n");
    }

    @Test
    void aNewerTermIsForcedRenamedAndItsDirectoryForcedBeforeItIsAdmitted() throws IOException {
        List<String> steps = new CopyOnWriteArrayList<>();
        Disk recording = new Disk() {
            @Override
            public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
                return new DelegatingFileChannel(FileChannel.open(path, options)) {
                    @Override
                    public void force(boolean metaData) throws IOException {
                        super.force(metaData);
                        steps.add("force " + path.getFileName() + " holding " + Files.readString(path).strip());
                    }
                };
            }

            @Override
            public void syncDirectory(Path directory) throws IOException {
                steps.add("force directory, " + TermStore.FILE + " holding "
                        + Files.readString(directory.resolve(TermStore.FILE)).strip());
            }
        };
        TermStore terms = TermStore.open(dir, recording);

        terms.admit(3);
        terms.admit(3);

        assertThat(steps).containsExactly("force coordinator-term.tmp holding 3",
                "force directory, coordinator-term holding 3");
    }

    @Test
    void aCrashWhileWritingATermLeavesTheTermBeforeIt() throws IOException {
        TermStore.open(dir, Disk.REAL).admit(5);
        // The crash: the temporary file of term 9 was written (torn here), never renamed.
        Files.writeString(dir.resolve(TermStore.FILE + ".tmp"), "9\u0000\u0000");

        TermStore reopened = TermStore.open(dir, Disk.REAL);

        assertThat(reopened.highest()).isEqualTo(5);
        assertThat(reopened.admit(9)).isEqualTo(Admission.RAISED);
        assertThat(TermStore.open(dir, Disk.REAL).highest()).isEqualTo(9);
    }

    @Test
    void aTermThatCannotBeKeptIsNotAdmittedAndTheOldOneStays() throws IOException {
        TermStore.open(dir, Disk.REAL).admit(5);
        TermStore failing = TermStore.open(dir, (path, options) -> {
            throw new IOException("No space left on device");
        });

        assertThatThrownBy(() -> failing.admit(8)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("coordinator term 8").hasRootCauseMessage("No space left on device");

        assertThat(failing.highest()).isEqualTo(5);
        assertThat(failing.admit(5)).as("the kept term needs no write").isEqualTo(Admission.CURRENT);
        assertThat(failing.admit(4)).isEqualTo(Admission.STALE);
        assertThat(TermStore.open(dir, Disk.REAL).highest()).isEqualTo(5);
    }

    @Test
    void anUnreadableTermFileStopsTheStartSayingWhatToDo() throws IOException {
        Files.writeString(dir.resolve(TermStore.FILE), "seven");

        assertThatThrownBy(() -> TermStore.open(dir, Disk.REAL)).isInstanceOf(IOException.class)
                .hasMessageContaining(TermStore.FILE).hasMessageContaining("\"seven\"")
                .hasMessageContaining("Write the term of the coordinators' current leader");
    }

    @Test
    void concurrentCallsWithDifferentTermsLeaveTheHighestKeptAndNeverAdmitAnOlderOneAfterANewer() throws Exception {
        TermStore terms = TermStore.open(dir, Disk.REAL);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Long> order = new ArrayList<>(LongStream.rangeClosed(1, 200).boxed().toList());
            Collections.shuffle(order);
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (long term : order) {
                        long before = terms.highest();
                        Admission admission = terms.admit(term);
                        if (admission.admitted() && term < before) {
                            violations.add("admitted " + term + " after " + before);
                        }
                        if (!admission.admitted() && term >= terms.highest()) {
                            violations.add("refused " + term + " though the highest is " + terms.highest());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(violations).isEmpty();
        assertThat(terms.highest()).isEqualTo(200);
        assertThat(TermStore.open(dir, Disk.REAL).highest()).isEqualTo(200);
    }
}
