package dev.kvstore.coordinator.nodeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatcherTest {

    private static final String NODE = "http://node-a";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<List<String>> sent = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        executor.close();
    }

    /** Replies to each message with its length; holds the first batch until released. */
    private List<Integer> holdFirst(String url, List<String> batch) {
        sent.add(List.copyOf(batch));
        if (sent.size() == 1) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return batch.stream().map(String::length).toList();
    }

    /** Replies to each message with its length. */
    private List<Integer> recordAll(String url, List<String> batch) {
        sent.add(List.copyOf(batch));
        return batch.stream().map(String::length).toList();
    }

    private Batcher<String, Integer> batcher(Batcher.Transport<String, Integer> transport, int inFlight, int messages,
                                             long bytes) {
        return new Batcher<>(transport, String::length, executor, inFlight, messages, bytes);
    }

    @Test
    void aLoneMessageLeavesAtOnceInABatchOfItsOwn() {
        Batcher<String, Integer> batcher = batcher((url, batch) -> {
            sent.add(batch);
            return batch.stream().map(String::length).toList();
        }, 2, 256, 1 << 20);

        assertThat(batcher.exchange(NODE, "hello")).isEqualTo(5);
        assertThat(sent).containsExactly(List.of("hello"));
    }

    @Test
    void messagesArrivingWhileABatchIsInFlightLeaveTogetherInTheNextAndEachCallerGetsItsOwnReply() throws Exception {
        Batcher<String, Integer> batcher = batcher(this::holdFirst, 1, 256, 1 << 20);
        Future<Integer> first = executor.submit(() -> batcher.exchange(NODE, "x"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String message = "m".repeat(i);
            waiting.add(executor.submit(() -> batcher.exchange(NODE, message)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batcher.waiting(NODE) == 20);

        release.countDown();

        assertThat(first.get()).isEqualTo(1);
        for (int i = 1; i <= 20; i++) {
            assertThat(waiting.get(i - 1).get()).as("caller %d's own reply", i).isEqualTo(i);
        }
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).hasSize(20);
    }

    @Test
    void aBatchHoldsNoMoreThanTheMessageAndByteLimits() throws Exception {
        Batcher<String, Integer> batcher = batcher(this::holdFirst, 1, 4, 1000);
        Future<Integer> first = executor.submit(() -> batcher.exchange(NODE, "x"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            waiting.add(executor.submit(() -> batcher.exchange(NODE, "small")));
            int queued = i;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batcher.waiting(NODE) == queued);
        }
        waiting.add(executor.submit(() -> batcher.exchange(NODE, "b".repeat(5000))));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batcher.waiting(NODE) == 7);

        release.countDown();
        first.get();
        for (Future<Integer> reply : waiting) {
            reply.get();
        }

        assertThat(sent.stream().skip(1).map(List::size).toList())
                .as("4 messages, then the 2 small ones left, then the big one alone").containsExactly(4, 2, 1);
    }

    @Test
    void aLazyMessageWaitsToRideTheNextBatchToItsNode() throws Exception {
        Batcher<String, Integer> batcher = batcher(this::recordAll, 2, 256, 1 << 20);
        CompletableFuture<Integer> lazy = batcher.submitLazily(NODE, "commit", Duration.ofMinutes(1));
        assertThat(batcher.waiting(NODE)).isOne();
        assertThat(sent).as("nothing leaves for the lazy message alone").isEmpty();

        assertThat(batcher.exchange(NODE, "prepare")).isEqualTo(7);

        assertThat(lazy.get()).isEqualTo(6);
        assertThat(sent).containsExactly(List.of("commit", "prepare"));
    }

    @Test
    void aLazyMessageThatNothingCarriedLeavesAloneAfterItsLinger() {
        Batcher<String, Integer> batcher = batcher(this::recordAll, 2, 256, 1 << 20);

        assertThat(batcher.submitLazily(NODE, "commit", Duration.ofMillis(1))).succeedsWithin(Duration.ofSeconds(10))
                .isEqualTo(6);
        assertThat(sent).containsExactly(List.of("commit"));
    }

    @Test
    void hurrySendsTheWaitingLazyMessagesAtOnce() throws Exception {
        Batcher<String, Integer> batcher = batcher(this::recordAll, 2, 256, 1 << 20);
        CompletableFuture<Integer> lazy = batcher.submitLazily(NODE, "commit", Duration.ofMinutes(1));

        batcher.hurry(NODE);
        batcher.hurry("http://never-called");

        assertThat(lazy.get()).isEqualTo(6);
        assertThat(sent).containsExactly(List.of("commit"));
    }

    @Test
    void lazyMessagesQueuedWithinOneLingerShareItsTimerAndLeaveTogether() {
        Batcher<String, Integer> batcher = batcher(this::recordAll, 2, 256, 1 << 20);

        CompletableFuture<Integer> first = batcher.submitLazily(NODE, "a", Duration.ofMillis(200));
        CompletableFuture<Integer> second = batcher.submitLazily(NODE, "bb", Duration.ofMillis(200));

        assertThat(first).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1);
        assertThat(second).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(2);
        assertThat(sent).containsExactly(List.of("a", "bb"));
        assertThat(batcher.submitLazily(NODE, "ccc", Duration.ofMillis(1))).as("a message after the timer fired arms the next")
                .succeedsWithin(Duration.ofSeconds(10)).isEqualTo(3);
    }

    @Test
    void aLazyMessageQueuedWhileABatchIsInFlightLeavesWhenThatBatchReturns() throws Exception {
        Batcher<String, Integer> batcher = batcher(this::holdFirst, 1, 256, 1 << 20);
        Future<Integer> first = executor.submit(() -> batcher.exchange(NODE, "x"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);

        CompletableFuture<Integer> lazy = batcher.submitLazily(NODE, "commit", Duration.ofMinutes(1));
        release.countDown();

        assertThat(first.get()).isEqualTo(1);
        assertThat(lazy).as("long before its linger").succeedsWithin(Duration.ofSeconds(10)).isEqualTo(6);
        assertThat(sent).containsExactly(List.of("x"), List.of("commit"));
    }

    @Test
    void aSubmittedMessageLeavesOnASenderOfItsOwnAndItsFutureCarriesTheReply() {
        Batcher<String, Integer> batcher = batcher(this::recordAll, 2, 256, 1 << 20);

        assertThat(batcher.submit(NODE, "hello")).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(5);
        assertThat(sent).containsExactly(List.of("hello"));
    }

    @Test
    void aSubmittedMessagesFailedBatchFailsItsFutureWithTheBatchsFailure() {
        Batcher<String, Integer> batcher = batcher((url, batch) -> {
            throw new NodeUnavailableException(url, "connection refused", null);
        }, 2, 256, 1 << 20);

        assertThat(batcher.submit(NODE, "x")).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(NodeUnavailableException.class).withMessageContaining("connection refused");
    }

    @Test
    void aFailedBatchFailsEveryMessageInItAsUnavailable() {
        Batcher<String, Integer> batcher = batcher((url, batch) -> {
            throw new NodeUnavailableException(url, "connection refused", null);
        }, 2, 256, 1 << 20);

        assertThatThrownBy(() -> batcher.exchange(NODE, "x"))
                .isInstanceOf(NodeUnavailableException.class).hasMessageContaining("connection refused");
    }

    @Test
    void aReplyPerMessageIsRequired() {
        Batcher<String, Integer> batcher = batcher((url, batch) -> List.of(), 2, 256, 1 << 20);

        assertThatThrownBy(() -> batcher.exchange(NODE, "x"))
                .isInstanceOf(NodeUnavailableException.class).hasMessageContaining("0 replies to a batch of 1");
    }

    @Test
    void nodesAreBatchedSeparately() {
        Batcher<String, Integer> batcher = batcher((url, batch) -> {
            sent.add(batch);
            return batch.stream().map(String::length).toList();
        }, 1, 256, 1 << 20);

        batcher.exchange("http://node-a", "x");
        batcher.exchange("http://node-b", "y");

        assertThat(sent).containsExactly(List.of("x"), List.of("y"));
    }
}
