package dev.kvstore.e2e.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A thread-safe recorder of the operations many client threads make, for {@link LinearizabilityChecker}.
 *
 * <p>Call {@link #invoke} just before sending a request and exactly one of {@link #ok}, {@link #fail} or
 * {@link #unknown} once its outcome is known. An operation never completed stays {@link Outcome#PENDING},
 * which the checker treats like {@link Outcome#UNKNOWN}.
 *
 * <pre>{@code
 * long id = history.invoke(OpType.PUT, key, value);
 * try {
 *     Response r = client.put(key, value);
 *     switch (r.status()) {
 *         case 200, 201 -> history.ok(id, r.version(), null);
 *         case 503, 412 -> history.fail(id, "HTTP " + r.status());
 *         default       -> history.unknown(id, "HTTP " + r.status());   // 504 and anything unexpected
 *     }
 * } catch (IOException e) {
 *     history.unknown(id, e.toString());   // may have reached the server
 * }
 * }</pre>
 *
 * <p>Only mark an operation FAIL when it certainly did not take effect: a timeout or a connection broken
 * after the request may have been sent is UNKNOWN. For GET, {@code ok(id, 0, null)} records a 404; for
 * DELETE, {@code ok(id, 0, null)} records a 404 ("nothing to delete").
 */
public final class History {

    private final LongSupplier clock;
    private final AtomicLong lastId = new AtomicLong();
    private final ConcurrentHashMap<Long, Op> ops = new ConcurrentHashMap<>();

    public History() {
        this(System::nanoTime);
    }

    /** For tests: a history whose times come from {@code clock} instead of {@link System#nanoTime()}. */
    History(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records the invocation of an operation, with the current time as its start.
     *
     * @param value the value for a PUT; {@code null} for GET and DELETE
     * @return the id to complete it with
     */
    public long invoke(OpType type, String key, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        if ((type == OpType.PUT) != (value != null)) {
            throw new IllegalArgumentException(type == OpType.PUT ? "a PUT needs a value" : type + " takes no value");
        }
        long start = clock.getAsLong();
        long id = lastId.incrementAndGet();
        ops.put(id, Op.invoked(id, type, key, value, start));
        return id;
    }

    /**
     * The operation took effect.
     *
     * @param version   PUT / DELETE: the version from the ETag (0 for a DELETE answered 404);
     *                  GET: the version of the value read (0 when answered 404)
     * @param valueRead GET: the value read, {@code null} when answered 404; PUT / DELETE: {@code null}
     */
    public void ok(long id, long version, String valueRead) {
        complete(id, Outcome.OK, version, valueRead, null);
    }

    /** The operation definitely did not take effect (503, 412, refused before sending...). */
    public void fail(long id, String why) {
        complete(id, Outcome.FAIL, 0, null, why);
    }

    /** The operation may or may not have taken effect (timeout, connection lost mid-request, 504...). */
    public void unknown(long id, String why) {
        complete(id, Outcome.UNKNOWN, 0, null, why);
    }

    private void complete(long id, Outcome outcome, long version, String valueRead, String why) {
        long end = clock.getAsLong();
        ops.compute(id, (k, op) -> {
            if (op == null) {
                throw new IllegalArgumentException("no operation with id " + id);
            }
            if (op.outcome() != Outcome.PENDING) {
                throw new IllegalStateException("operation " + id + " already completed: " + op.outcome());
            }
            if (valueRead != null && !op.isGet()) {
                throw new IllegalArgumentException(op.type() + " " + id + " reads no value");
            }
            return op.completed(end, outcome, version, valueRead, why);
        });
    }

    /** A snapshot of every operation so far, in id (invocation) order. */
    public List<Op> ops() {
        List<Op> snapshot = new ArrayList<>(ops.values());
        snapshot.sort(Comparator.comparingLong(Op::id));
        return List.copyOf(snapshot);
    }

    /** How many operations were invoked so far. */
    public int size() {
        return ops.size();
    }
}
