package dev.kvstore.e2e;

import dev.kvstore.client.Condition;
import dev.kvstore.client.Entry;
import dev.kvstore.client.ErrorResponseException;
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
 * operation and its outcome in a {@link History}. A 503 or 412 means nothing was written; a refused
 * connection never reached the coordinator; anything else that is not an answer (timeouts, 504,
 * broken connections) may or may not have taken effect, and so does any other failure, which is also
 * collected in {@link #unexpected}.
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
    private final List<Thread> threads;

    ClientLoad(LocalCluster cluster, History history, String prefix, int keyCount, int clients) {
        this.client = cluster.client();
        this.history = history;
        this.keys = IntStream.range(0, keyCount).mapToObj(i -> prefix + "/key-" + i).toList();
        this.threads = IntStream.range(0, clients)
                .mapToObj(c -> Thread.ofPlatform().name("client-" + c).start(() -> run(prefix + "-c" + c)))
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
            } catch (UnavailableException | PreconditionFailedException e) {
                history.fail(id, "HTTP " + e.status());
                refused.incrementAndGet();
            } catch (WriteUnconfirmedException e) {
                history.unknown(id, e.getMessage());
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
                }
            } catch (KvClientException e) {
                history.unknown(id, e.getMessage());
                if (!(e instanceof ErrorResponseException answer && answer.status() == 504)) {
                    unexpected.add(type + " -> " + e.getMessage());
                }
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
