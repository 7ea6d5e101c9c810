package dev.kvstore.e2e.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds histories by hand, with explicit times, for tests of the checker: no clocks, no threads.
 * Times are given in milliseconds and stored in nanoseconds, like {@link History} does.
 *
 * <pre>{@code
 * HistoryBuilder h = new HistoryBuilder();
 * Op w = h.put("k", "a", 0, 10).ok(1);        // PUT "a" during [0ms, 10ms], acknowledged with version 1
 * h.get("k", 20, 30).read("a", 1);             // GET during [20ms, 30ms] returned "a" at version 1
 * h.delete("k", 40, 50).ok(2);                 // DELETE answered 204 with version 2
 * h.get("k", 60, 70).absent();                 // GET answered 404
 * h.put("k", "b", 80, 90).unknown();           // timed out
 * LinearizabilityChecker.check(h.ops(), Map.of("k", FinalRead.absent()));
 * }</pre>
 */
final class HistoryBuilder {

    private static final long NANOS_PER_MS = 1_000_000;
    private final List<Op> ops = new ArrayList<>();
    private long lastId;

    /** A PUT of {@code value} to {@code key}, invoked at {@code startMs}, completed at {@code endMs}. */
    Call put(String key, String value, long startMs, long endMs) {
        return new Call(OpType.PUT, key, value, startMs, endMs);
    }

    /** A GET of {@code key}. */
    Call get(String key, long startMs, long endMs) {
        return new Call(OpType.GET, key, null, startMs, endMs);
    }

    /** A DELETE of {@code key}. */
    Call delete(String key, long startMs, long endMs) {
        return new Call(OpType.DELETE, key, null, startMs, endMs);
    }

    /** Adds an already built op (e.g. a tampered copy); ids must stay unique. */
    Op add(Op op) {
        ops.add(op);
        lastId = Math.max(lastId, op.id());
        return op;
    }

    /** Every op so far, in the order added. */
    List<Op> ops() {
        return List.copyOf(ops);
    }

    /** An invoked op, waiting for its outcome: each method adds it to the history and returns it. */
    final class Call {
        private final OpType type;
        private final String key;
        private final String value;
        private final long start;
        private final long end;

        private Call(OpType type, String key, String value, long startMs, long endMs) {
            this.type = type;
            this.key = key;
            this.value = value;
            this.start = startMs * NANOS_PER_MS;
            this.end = endMs * NANOS_PER_MS;
        }

        /** PUT 200/201 or DELETE 204 with {@code version}. */
        Op ok(long version) {
            if (type == OpType.GET) {
                throw new IllegalStateException("a GET is completed with read(...) or absent()");
            }
            return done(Outcome.OK, version, null, null);
        }

        /** GET 200 returning {@code valueRead} at {@code version}. */
        Op read(String valueRead, long version) {
            if (type != OpType.GET) {
                throw new IllegalStateException("only a GET reads");
            }
            return done(Outcome.OK, version, valueRead, null);
        }

        /** GET 404 (absent) or DELETE 404 (nothing to delete). */
        Op absent() {
            if (type == OpType.PUT) {
                throw new IllegalStateException("a PUT is never answered 404");
            }
            return done(Outcome.OK, 0, null, null);
        }

        /** Definitely did not take effect. */
        Op fail() {
            return done(Outcome.FAIL, 0, null, "503");
        }

        /** May or may not have taken effect. */
        Op unknown() {
            return done(Outcome.UNKNOWN, 0, null, "timeout");
        }

        /** Never completed: the end given is ignored. */
        Op pending() {
            return add(Op.invoked(++lastId, type, key, value, start));
        }

        private Op done(Outcome outcome, long version, String valueRead, String why) {
            return add(Op.invoked(++lastId, type, key, value, start).completed(end, outcome, version, valueRead, why));
        }
    }
}
