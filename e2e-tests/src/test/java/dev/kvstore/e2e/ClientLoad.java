package dev.kvstore.e2e;

import dev.kvstore.e2e.history.History;
import dev.kvstore.e2e.history.OpType;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
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
 * broken connections) may or may not have taken effect.
 */
final class ClientLoad implements AutoCloseable {

    private final LocalCluster cluster;
    private final History history;
    private final List<String> keys;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private final List<Thread> threads;

    ClientLoad(LocalCluster cluster, History history, String prefix, int keyCount, int clients) {
        this.cluster = cluster;
        this.history = history;
        this.keys = IntStream.range(0, keyCount).mapToObj(i -> prefix + "/key-" + i).toList();
        this.threads = IntStream.range(0, clients)
                .mapToObj(c -> Thread.ofPlatform().name("client-" + c).start(() -> run(prefix + "-c" + c)))
                .toList();
    }

    List<String> keys() {
        return keys;
    }

    private void run(String client) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            OpType type = dice < 45 ? OpType.PUT : dice < 85 ? OpType.GET : OpType.DELETE;
            String value = type == OpType.PUT ? client + "-" + sequence.incrementAndGet() : null;
            long id = history.invoke(type, key, value);
            try {
                LocalCluster.Response r = switch (type) {
                    case PUT -> cluster.put(key, value);
                    case GET -> cluster.get(key);
                    case DELETE -> cluster.delete(key);
                };
                record(id, type, r);
            } catch (ConnectException e) {
                history.fail(id, "connection refused");
                refused.incrementAndGet();
            } catch (IOException e) {
                history.unknown(id, e.toString());
            } catch (InterruptedException e) {
                history.unknown(id, "interrupted");
                return;
            }
        }
    }

    private void record(long id, OpType type, LocalCluster.Response r) {
        int status = r.status();
        if (status == 200 || status == 201 || status == 204) {
            history.ok(id, r.etag() == null ? 0 : r.version(), type == OpType.GET ? r.body() : null);
            succeeded.incrementAndGet();
        } else if (status == 404 && type != OpType.PUT) {
            history.ok(id, 0, null);
            succeeded.incrementAndGet();
        } else if (status == 503 || status == 412) {
            history.fail(id, "HTTP " + status);
            refused.incrementAndGet();
        } else {
            history.unknown(id, "HTTP " + status + " " + r.body());
            if (status != 504) {
                unexpected.add(type + " -> " + status + " " + r.body());
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
