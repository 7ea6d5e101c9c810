package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyLocksTest {

    private final KeyLocks locks = new KeyLocks(Duration.ofMillis(200));

    @Test
    void writerOfOneKeyDoesNotBlockAWriterOfAnother() throws Exception {
        try (KeyLocks.Held a = locks.exclusive("a")) {
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                try (KeyLocks.Held b = locks.exclusive("b")) {
                    return true;
                }
            });
            assertThat(other.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void secondWriterOfTheSameKeyWaitsAndGivesUpAfterTheTimeout() {
        try (KeyLocks.Held a = locks.exclusive("a")) {
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> locks.exclusive("a").close());
            assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(KeyBusyException.class);
        }
    }

    @Test
    void readersShareAKeyButExcludeItsWriter() throws Exception {
        CountDownLatch bothReading = new CountDownLatch(2);
        try (KeyLocks.Held r1 = locks.shared("a")) {
            bothReading.countDown();
            CompletableFuture<Void> r2 = CompletableFuture.runAsync(() -> {
                try (KeyLocks.Held held = locks.shared("a")) {
                    bothReading.countDown();
                }
            });
            r2.get(5, TimeUnit.SECONDS);
            assertThat(bothReading.getCount()).isZero();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> locks.exclusive("a").close());
            assertThatThrownBy(() -> writer.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(KeyBusyException.class);
        }
    }

    @Test
    void locksOfIdleKeysAreDropped() {
        locks.exclusive("a").close();
        locks.shared("b").close();

        assertThat(locks.size()).isZero();
    }
}
