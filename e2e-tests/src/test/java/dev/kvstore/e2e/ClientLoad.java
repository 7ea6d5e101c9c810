package dev.kvstore.e2e;

import dev.kvstore.client.Condition;
import dev.kvstore.client.Entry;
import dev.kvstore.client.ErrorResponseException;
import dev.kvstore.client.InsufficientStorageException;
import dev.kvstore.client.KvClient;
import dev.kvstore.client.KvClientException;
import dev.kvstore.client.PreconditionFailedException;
import dev.kvstore.client.TransportException;
import dev.kvstore.client.UnavailableException;
import dev.kvstore.client.WriteUnconfirmedException;
import dev.kvstore.e2e.history.History;
import dev.kvstore.e2e.history.OpType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Client threads doing random puts, gets and deletes over a few keys until stopped, recording every
 * operation and its outcome in a {@link History}. A 503, 507 or 412 means nothing was written; a refused
 * connection never reached the coordinator; anything else that is not an answer (timeouts, 504,
 * broken connections) may or may not have taken effect, and so does any other failure, which is also
 * collected in {@link #unexpected}. After a refusal a client waits a little before its next request,
 * so a coordinator that is down or not ready yet does not fill the history with refusals.
 */
final class ClientLoad implements AutoCloseable {

    private final KvClient client;
    private final History history;
    private final List<String> keys;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    /** Writes answered 507: a replica's disk below its high watermark; nothing written. */
    final AtomicLong noSpace = new AtomicLong();
    /** Writes answered 504: outcome unknown (no replica confirmed it was not applied). */
    final AtomicLong unconfirmed = new AtomicLong();
    private final List<Thread> threads;

    ClientLoad(LocalCluster cluster, History history, String prefix, int keyCount, int clients) {
        this(cluster, history, IntStream.range(0, keyCount).mapToObj(i -> prefix + "/key-" + i).toList(), prefix,
                clients);
    }

    /** Clients over the given keys; every value written starts with {@code valueTag}, so it names its write. */
    ClientLoad(LocalCluster cluster, History history, List<String> keys, String valueTag, int clients) {
        this.client = cluster.client();
        this.history = history;
        this.keys = List.copyOf(keys);
        this.threads = IntStream.range(0, clients)
                .mapToObj(c -> Thread.ofPlatform().name("client-" + c).start(() -> run(valueTag + "-c" + c)))
                .toList();
    }

    List<String> keys() {
        return keys;
    }

    private void run(String name) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            OpType type = dice < 45 ? OpType.PUT : dice < 85 ? OpType.GET : OpType.DELETE;
            String value = type == OpType.PUT ? name + "-" + sequence.incrementAndGet() : null;
            long id = history.invoke(type, key, value);
            try {
                switch (type) {
                    case PUT -> history.ok(id, client.put(key, value).version(), null);
                    case GET -> {
                        Optional<Entry> read = client.get(key);
                        history.ok(id, read.map(Entry::version).orElse(0L), read.map(Entry::asString).orElse(null));
                    }
                    case DELETE -> {
                        OptionalLong deleted = client.deleteWithVersion(key, Condition.none());
                        history.ok(id, deleted.orElse(0), null); // 0: answered 404, nothing to delete
                    }
                }
                succeeded.incrementAndGet();
            } catch (UnavailableException | PreconditionFailedException | InsufficientStorageException e) {
                history.fail(id, "HTTP " + e.status() + " (" + e.problem().detail() + ")");
                refused.incrementAndGet();
                if (e instanceof InsufficientStorageException) {
                    noSpace.incrementAndGet();
                }
                backOff(e instanceof UnavailableException);
            } catch (WriteUnconfirmedException e) {
                history.unknown(id, e.getMessage());
                unconfirmed.incrementAndGet();
            } catch (TransportException e) {
                if (e.getCause() instanceof InterruptedException) {
                    history.unknown(id, "interrupted");
                    return;
                }
                if (e.mayHaveReachedServer()) {
                    history.unknown(id, e.getMessage());
                } else {
                    history.fail(id, "connection refused");
                    refused.incrementAndGet();
                    backOff(true);
                }
            } catch (KvClientException e) {
                history.unknown(id, e.getMessage());
                if (!(e instanceof ErrorResponseException answer && answer.status() == 504)) {
                    unexpected.add(type + " -> " + e.getMessage());
                }
            }
        }
    }

    private static void backOff(boolean unavailable) {
        if (unavailable) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
