package dev.kvstore.coordinator.nodeclient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Smart batching of calls to nodes: per node at most {@code maxInFlight} batches are on the wire, and
 * messages that arrive meanwhile wait and leave together in the next one. A message that finds its node
 * idle leaves at once, alone, sent by its own caller's thread, so a lone caller pays no batching delay;
 * under load a batch carries whatever queued during one round trip. A message {@linkplain #submit
 * submitted} without waiting leaves on a sender of the executor instead, and a lazy one ({@link
 * #submitLazily}) waits a moment to ride another's batch. Each caller gets exactly the reply to its own
 * message, or the failure of the batch it travelled in.
 *
 * @param <M> a message
 * @param <R> the reply to one message
 */
public final class Batcher<M, R> {

    /** Sends one batch to the node at {@code url}. */
    public interface Transport<M, R> {

        /**
         * @return one reply per message, in order
         * @throws NodeUnavailableException when the node could not be asked or did not answer
         */
        List<R> send(String url, List<M> batch);
    }

    private final Transport<M, R> transport;
    private final ToLongFunction<M> weigher;
    private final Executor executor;
    private final int maxInFlight;
    private final int maxMessages;
    private final long maxBytes;
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

    /**
     * @param weigher     a message's size toward {@code maxBytes}
     * @param executor    runs the sends that no caller makes itself (virtual threads)
     * @param maxInFlight batches on the wire to one node at once
     * @param maxMessages messages in one batch
     * @param maxBytes    total weight of one batch; a single heavier message travels alone
     */
    public Batcher(Transport<M, R> transport, ToLongFunction<M> weigher, Executor executor, int maxInFlight,
                   int maxMessages, long maxBytes) {
        if (maxInFlight < 1 || maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive: in flight " + maxInFlight
                    + ", messages " + maxMessages + ", bytes " + maxBytes);
        }
        this.transport = transport;
        this.weigher = weigher;
        this.executor = executor;
        this.maxInFlight = maxInFlight;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Sends {@code message} to the node at {@code url} in the next batch and waits for its reply.
     *
     * @throws NodeUnavailableException when the batch it travelled in failed
     */
    public R exchange(String url, M message) {
        Channel channel = channels.computeIfAbsent(url, Channel::new);
        Pending<M, R> pending = channel.enqueue(message);
        hurry(channel); // when a batch may go now, the caller sends it itself (no thread hand-off)
        return await(url, pending);
    }

    /**
     * Sends {@code message} to the node at {@code url} in the next batch without waiting: a free slot starts
     * a sender on the executor. The future completes with the reply, or fails with the failure of the batch
     * the message travelled in (see {@link #unavailable}).
     */
    public CompletableFuture<R> submit(String url, M message) {
        Channel channel = channels.computeIfAbsent(url, Channel::new);
        Pending<M, R> pending = channel.enqueue(message);
        channel.dispatch();
        return pending.reply();
    }

    /**
     * Like {@link #submit}, for a message that need not leave at once (a COMMIT: the client was already
     * answered): it waits in the node's queue to ride the next batch, which another message starts or a
     * batch in flight dispatches when it returns, and leaves on its own only if none did within {@code
     * linger}. So a lone writer's COMMITs travel in its next write's prepare batches instead of costing
     * requests of their own. One timer per node at a time serves every lazy message queued meanwhile, and
     * no thread waits for it.
     */
    public CompletableFuture<R> submitLazily(String url, M message, Duration linger) {
        Channel channel = channels.computeIfAbsent(url, Channel::new);
        Pending<M, R> pending = channel.enqueue(message);
        channel.lingerAtMost(linger);
        return pending.reply();
    }

    /** Sends what waits for the node at {@code url} now, on the caller's thread, unless batches are on their way there. */
    public void hurry(String url) {
        Channel channel = channels.get(url);
        if (channel != null) {
            hurry(channel);
        }
    }

    private void hurry(Channel channel) {
        if (channel.claimSlot()) {
            channel.sendOne();
        }
    }

    private R await(String url, Pending<M, R> pending) {
        try {
            return pending.reply().join();
        } catch (CompletionException e) {
            throw unavailable(url, e.getCause());
        }
    }

    /**
     * The failure of a batch as one member's own exception to throw (the batch's is every member's), from
     * the throwable a member's future failed with, wrapped in a {@link CompletionException} or not.
     */
    public static NodeUnavailableException unavailable(String url, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return new NodeUnavailableException(url, cause.getMessage(), cause);
    }

    /** Messages waiting for a batch to the node at {@code url}. */
    public int waiting(String url) {
        Channel channel = channels.get(url);
        return channel == null ? 0 : channel.queue.size();
    }

    private record Pending<M, R>(M message, long weight, CompletableFuture<R> reply) {
    }

    /** The queue and the batches in flight to one node. */
    private final class Channel {
        private final String url;
        private final Queue<Pending<M, R>> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        /** Whether a timer will send what lingers here; at most one at a time. */
        private final AtomicBoolean lingering = new AtomicBoolean();

        Channel(String url) {
            this.url = url;
        }

        /** Queues the message for the next batch; its reply is the returned pending's future. */
        Pending<M, R> enqueue(M message) {
            Pending<M, R> pending = new Pending<>(message, weigher.applyAsLong(message), new CompletableFuture<>());
            queue.add(pending);
            return pending;
        }

        private boolean claimSlot() {
            while (!queue.isEmpty()) {
                int sending = inFlight.get();
                if (sending >= maxInFlight) {
                    return false; // a sender that finishes dispatches again
                }
                if (inFlight.compareAndSet(sending, sending + 1)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Arms the node's one linger timer unless it is armed or a batch is in flight: when it fires,
         * whatever waits leaves (if a slot is free; else the batch in flight dispatches it). A message
         * queued after it fired arms the next.
         */
        void lingerAtMost(Duration linger) {
            // A batch in flight dispatches what waits when it returns (the message is queued already).
            if (inFlight.get() == 0 && lingering.compareAndSet(false, true)) {
                CompletableFuture.delayedExecutor(linger.toNanos(), TimeUnit.NANOSECONDS, this::onExecutor)
                        .execute(this::lingerEnded);
            }
        }

        private void lingerEnded() {
            lingering.set(false);
            hurry(this);
        }

        private void onExecutor(Runnable task) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                lingering.set(false);
                failAll(new NodeUnavailableException(url, "the coordinator is shutting down", shuttingDown));
            }
        }

        /** Starts a sender on the executor if messages wait and a slot is free. */
        private void dispatch() {
            if (claimSlot()) {
                try {
                    executor.execute(this::sendOne);
                } catch (RejectedExecutionException shuttingDown) {
                    inFlight.decrementAndGet();
                    failAll(new NodeUnavailableException(url, "the coordinator is shutting down", shuttingDown));
                }
            }
        }

        private void sendOne() {
            try {
                List<Pending<M, R>> batch = drain();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } finally {
                inFlight.decrementAndGet();
                dispatch();
            }
        }

        /** Takes the oldest messages up to the limits; the lock keeps peek and poll on the same message. */
        private synchronized List<Pending<M, R>> drain() {
            List<Pending<M, R>> batch = new ArrayList<>();
            long bytes = 0;
            Pending<M, R> next;
            while (batch.size() < maxMessages && (next = queue.peek()) != null) {
                if (!batch.isEmpty() && bytes + next.weight() > maxBytes) {
                    break;
                }
                batch.add(queue.poll());
                bytes += next.weight();
            }
            return batch;
        }

        private void deliver(List<Pending<M, R>> batch) {
            List<M> messages = new ArrayList<>(batch.size());
            for (Pending<M, R> pending : batch) {
                messages.add(pending.message());
            }
            try {
                List<R> replies = transport.send(url, messages);
                if (replies == null || replies.size() != batch.size()) {
                    throw new NodeUnavailableException(url, "node at " + url + " answered "
                            + (replies == null ? 0 : replies.size()) + " replies to a batch of " + batch.size(), null);
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).reply().complete(replies.get(i));
                }
            } catch (RuntimeException | Error e) {
                // No caller may wait forever: whatever went wrong is every member's answer.
                for (Pending<M, R> pending : batch) {
                    pending.reply().completeExceptionally(e);
                }
                if (e instanceof Error error) {
                    throw error;
                }
            }
        }

        private synchronized void failAll(RuntimeException e) {
            Pending<M, R> pending;
            while ((pending = queue.poll()) != null) {
                pending.reply().completeExceptionally(e);
            }
        }
    }
}
