package dev.kvstore.coordinator.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.Key;
import dev.kvstore.model.KeyHash;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteGateTest {

    private final WriteGate gate = new WriteGate();

    private static HashRange arcOf(String key) {
        long h = KeyHash.of(key);
        return new HashRange(h - 1, h);
    }

    @Test
    void writeToABlockedArcTimesOutWhileOtherKeysGoOn() {
        gate.block(List.of(arcOf("moving")));

        assertThatThrownBy(() -> gate.write(Key.of("moving"), Duration.ofMillis(50))).isInstanceOf(RangeMovingException.class);
        gate.write(Key.of("elsewhere"), Duration.ofMillis(50)).close();
        gate.read(Key.of("moving"), Duration.ofMillis(50)).close();
    }

    @Test
    void whileAnArcMovesBetweenTablesItsReadsWaitUntilTheCutOverAndOtherReadsGoOn() throws Exception {
        gate.block(List.of(arcOf("moving")));
        gate.blockReads(List.of(arcOf("moving")));

        assertThatThrownBy(() -> gate.read(Key.of("moving"), Duration.ofMillis(50))).isInstanceOf(RangeMovingException.class);
        gate.read(Key.of("elsewhere"), Duration.ofMillis(50)).close();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try (WriteGate.Pass pass = gate.read(Key.of("moving"), Duration.ofSeconds(30))) {
                return true;
            }
        });

        gate.unblock();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void blockedWriteProceedsOnceTheArcIsUnblocked() throws Exception {
        gate.block(List.of(arcOf("moving")));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try (WriteGate.Pass pass = gate.write(Key.of("moving"), Duration.ofSeconds(30))) {
                return true;
            }
        });
        assertThat(waiting).isNotDone();

        gate.unblock();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void blockingWaitsForTheWritesAlreadyInFlight() throws Exception {
        WriteGate.Pass inFlight = gate.write(Key.of("moving"), Duration.ofSeconds(1));
        CompletableFuture<Void> blocking = CompletableFuture.runAsync(() -> gate.block(List.of(arcOf("moving"))));
        assertThatThrownBy(() -> blocking.get(200, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);

        inFlight.close();

        blocking.get(10, TimeUnit.SECONDS);
    }
}
