package dev.kvstore.e2e.history;

import dev.kvstore.e2e.history.CheckResult.Rule;
import dev.kvstore.e2e.history.CheckResult.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Checks a {@link History} of a versioned key-value store for per-key linearizability, lost acknowledged
 * writes and phantom reads. Pure computation: no I/O, no clocks.
 *
 * <h2>Model and assumptions</h2>
 * <ul>
 *   <li>Keys are independent (linearizability is checked per key; it composes).</li>
 *   <li><b>Versions are the witness order.</b> The store gives every write of a key (PUT or DELETE) a version,
 *       strictly increasing in the order the writes take effect; a GET returns the version of the state it saw.
 *       So instead of searching for a linearization (NP-complete in general), the checker takes the versions as
 *       the order of writes and verifies that this order is consistent with real time.</li>
 *   <li>Every PUT of a key writes a distinct value (so a value read names its write); otherwise the history is
 *       reported as {@link Rule#AMBIGUOUS_HISTORY}.</li>
 *   <li>An op's linearization point lies within {@code [start, end]}. An op with an unknown outcome (UNKNOWN,
 *       or PENDING: never completed) may or may not have taken effect, at any time after its start; the
 *       checker treats its end as infinite. Its version is unknown, unless a read returned its value: then
 *       that read's version is the write's version.</li>
 *   <li>A FAILED op did not take effect; a FAILED PUT's value must never be read. FAILED GETs and DELETEs,
 *       and GETs with an unknown outcome, are ignored.</li>
 *   <li>An absent result (GET 404, DELETE 404) carries no version: it observed the state after some delete,
 *       or before the first write.</li>
 *   <li>The final state was read quietly, after every completed op; ops still PENDING then may take effect
 *       later without making it wrong.</li>
 * </ul>
 *
 * <h2>Algorithm (per key; n ops: O(n log n))</h2>
 * <ol>
 *   <li><b>Writes by value.</b> Map each PUT's value to the PUT (duplicates: {@link Rule#AMBIGUOUS_HISTORY}; reads
 *       of a duplicated value are then attributed to the candidate that explains them best, so the ambiguity is
 *       reported once rather than as a cascade).</li>
 *   <li><b>Phantom reads.</b> For every OK GET that returned a value: a PUT of this key must have written it
 *       ({@link Rule#PHANTOM_READ}), that PUT must not have FAILED ({@link Rule#READ_OF_FAILED_WRITE}), must
 *       have been invoked no later than the read completed ({@link Rule#READ_BEFORE_WRITE}), and if it is OK the
 *       read's version must be its version ({@link Rule#VERSION_MISMATCH}). The first read of an UNKNOWN /
 *       PENDING PUT's value gives that PUT its version; later reads must agree.</li>
 *   <li><b>Versioned events.</b> Each op with a known version becomes an event {@code (start, end, version,
 *       write?)}: OK PUTs and OK 204 DELETEs (writes), OK value reads that passed step 2 (reads), and
 *       UNKNOWN / PENDING PUTs whose value was read (writes with end = infinity). Two distinct writes must not
 *       share a version ({@link Rule#DUPLICATE_VERSION}).</li>
 *   <li><b>Absent reads.</b> An absent result R is wrong when some value (of an OK PUT, a value read, ...) with
 *       version M completed before R was invoked (the largest such M, by binary search on the value events sorted
 *       by end, with a prefix maximum of their versions) and no delete can explain the absence: an OK DELETE with
 *       a version above M invoked no later than R completed (binary search on the deletes sorted by start, with a
 *       prefix maximum of their versions), or any UNKNOWN / PENDING DELETE invoked no later than R completed
 *       ({@link Rule#ABSENT_AFTER_WRITE}). An explained absence still tells something: a delete with a version
 *       above M took effect before R, so R becomes an "absence event" ranking just above version M (between M
 *       and M + 1): values read after R are fine as long as their version is above M.</li>
 *   <li><b>Real-time order.</b> For events A, B with {@code A.end < B.start} linearizability with versions as the
 *       order requires v(A) &lt; v(B) when B is a write (W->W, R->W) and v(A) &le; v(B) when B is a read (W->R,
 *       R->R); after an absence event, v(B) &gt; M either way. These conditions are monotone in A's rank, so
 *       only the highest-ranked predecessor matters. Sort the completed events (absence events included) by end
 *       and keep a prefix maximum of their ranks (with the event that holds it). For each event B (absences are
 *       predecessors only), a binary search on the end times gives the events that completed before B was
 *       invoked, and the prefix maximum the highest; comparing B with that one event checks B against all of its
 *       real-time predecessors at once. As every pair (A, B) is looked at from B's side, this covers the "minimum
 *       over ops that start after A ends" (upper-bound) view as well: both are the same set of pairs. The rule
 *       reported (W->W, W->R, R->W, R->R) depends on whether the maximal predecessor and B are writes or reads;
 *       on a tie a write is named.</li>
 *   <li><b>Final state</b>, a read after everything: every key written by a non-FAILED PUT / DELETE must have
 *       one ({@link Rule#FINAL_MISSING}). If it holds a value: step 2's checks apply to it; its version must be at
 *       least the newest acknowledged write's, and equal to it only if that write is a PUT of the same value
 *       ({@link Rule#LOST_WRITE}); it must not be older than any version observed, nor at or below the M of an
 *       absence event ({@link Rule#FINAL_STALE}).
 *       If it is absent: the newest known value version must be followed by an OK DELETE with a greater version,
 *       or there must be a DELETE of unknown outcome ({@link Rule#FINAL_ABSENT_WITHOUT_DELETE}).</li>
 * </ol>
 *
 * <p>Every reported violation is a real one under these assumptions (the checks are necessary conditions).
 * The check is not complete: the pairwise conditions and the "some delete could explain it" test for
 * absences can miss combinations that are each possible alone but not together. Violations are reported in key
 * order, the first {@link #MAX_REPORTED} in full; {@link CheckResult#total()} counts all.
 */
public final class LinearizabilityChecker {

    /** How many violations are reported in full; {@link CheckResult#total()} counts them all. */
    public static final int MAX_REPORTED = 50;

    private LinearizabilityChecker() {
    }

    /**
     * Checks {@code history} against the store's guarantees.
     *
     * @param history    every op of the run, any order (e.g. {@link History#ops()})
     * @param finalState for every key written, what a quiet read of it returned after the run
     */
    public static CheckResult check(List<Op> history, Map<String, FinalRead> finalState) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(finalState, "finalState");
        Report report = new Report(history.stream().mapToLong(Op::start).min().orElse(0));
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (String key : finalState.keySet()) {
            byKey.putIfAbsent(key, List.of());
        }
        byKey.forEach((key, ops) -> new KeyCheck(key, ops, finalState.get(key), report).run());
        return new CheckResult(report.violations, report.total);
    }

    /**
     * An op with a known version, or an absent read with a known lower bound.
     *
     * @param end     {@link Op#NO_END} for an UNKNOWN / PENDING PUT whose value was read
     * @param write   a PUT or a DELETE, rather than a GET
     * @param value   carries a value (a PUT or a value read), rather than a DELETE or an absence
     * @param version the version written or read; for an absence, the newest value version M that completed
     *                before it was invoked: it saw a delete with a version above M
     * @param after   for an absence, the op that completed with version M; null for every other event
     */
    private record Event(Op op, long start, long end, long version, boolean write, boolean value, Op after) {

        static Event of(Op op, long end, long version, boolean write, boolean value) {
            return new Event(op, op.start(), end, version, write, value, null);
        }

        boolean completed() {
            return end != Op.NO_END;
        }

        boolean absence() {
            return after != null;
        }

        /**
         * Orders candidates for "the largest version". An absence after M ranks just above version M (it saw a
         * version in (M, M + 1), as it were); on a tie a write ranks above a read, so that messages name writes.
         */
        boolean beats(Event other) {
            if (version != other.version) {
                return version > other.version;
            }
            if (absence() != other.absence()) {
                return absence();
            }
            return write && !other.write;
        }

        /**
         * Whether this event, completed before {@code b} was invoked, contradicts {@code b}: a write must be above
         * it, a read at least at it; anything after an absence must be above the version the absence came after.
         */
        boolean contradicts(Event b) {
            return absence() || b.write ? version >= b.version : version > b.version;
        }
    }

    /**
     * Events that completed, sorted by end, with for every prefix the index of the event with the largest version:
     * {@link #maxBefore} answers "the largest version among events that ended before time t".
     */
    private static final class CompletedIndex {
        private final Event[] byEnd;
        private final long[] ends;
        private final int[] best;

        CompletedIndex(List<Event> events) {
            byEnd = events.stream().filter(Event::completed).sorted(Comparator.comparingLong(Event::end))
                    .toArray(Event[]::new);
            ends = new long[byEnd.length];
            best = new int[byEnd.length];
            for (int i = 0; i < byEnd.length; i++) {
                ends[i] = byEnd[i].end();
                best[i] = i == 0 || byEnd[i].beats(byEnd[best[i - 1]]) ? i : best[i - 1];
            }
        }

        /** The event with the largest version among those that ended strictly before {@code t}, or null. */
        Event maxBefore(long t) {
            int count = countBelow(ends, t);
            return count == 0 ? null : byEnd[best[count - 1]];
        }
    }

    /** How many of the sorted {@code values} are strictly below {@code x}. */
    private static int countBelow(long[] values, long x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** How many of the sorted {@code values} are at most {@code x}. */
    private static int countAtMost(long[] values, long x) {
        return x == Long.MAX_VALUE ? values.length : countBelow(values, x + 1);
    }

    private static final Comparator<Op> BY_START = Comparator.comparingLong(Op::start).thenComparingLong(Op::id);

    /** The checks of one key. */
    private static final class KeyCheck {
        private final String key;
        private final List<Op> ops;
        private final FinalRead fin;
        private final Report report;

        private final Map<String, List<Op>> putsByValue = new HashMap<>();
        /** UNKNOWN / PENDING PUT id -> the first read that returned its value (whose version it gets). */
        private final Map<Long, Op> firstReader = new HashMap<>();
        private final List<Event> events = new ArrayList<>();
        /** Absent reads after a completed value: a delete above that value's version took effect before them. */
        private final List<Event> absences = new ArrayList<>();

        KeyCheck(String key, List<Op> ops, FinalRead fin, Report report) {
            this.key = key;
            this.ops = new ArrayList<>(ops);
            this.ops.sort(BY_START);
            this.fin = fin;
            this.report = report;
        }

        void run() {
            indexPuts();
            checkValueReads();
            addWriteEvents();
            events.sort(Comparator.comparing(Event::op, BY_START));
            checkAbsences();
            checkRealTimeOrder();
            checkFinalState();
        }

        private void violation(Rule rule, Supplier<String> text, Op... involved) {
            report.add(rule, key, Arrays.stream(involved).map(Op::id).toList(), text);
        }

        private String d(Op op) {
            return report.describe(op);
        }

        private void indexPuts() {
            for (Op put : ops) {
                if (!put.isPut()) {
                    continue;
                }
                List<Op> same = putsByValue.computeIfAbsent(put.value(), v -> new ArrayList<>(1));
                if (!same.isEmpty()) {
                    Op earlier = same.getFirst();
                    violation(Rule.AMBIGUOUS_HISTORY, () -> d(put) + " writes the same value as " + d(earlier)
                            + "; values must be unique per PUT to attribute reads", put, earlier);
                }
                same.add(put);
            }
        }

        /**
         * The PUT that wrote {@code value}, as seen at {@code version} by a read that completed at {@code readEnd};
         * null when none did. With several candidates (an ambiguous history, already reported) the one that
         * explains the read best: an OK PUT with that version, else one of unknown outcome invoked in time, else
         * any that did not fail.
         */
        private Op writerOf(String value, long version, long readEnd) {
            List<Op> candidates = putsByValue.get(value);
            if (candidates == null) {
                return null;
            }
            if (candidates.size() > 1) {
                for (Op put : candidates) {
                    if (put.isOk() && put.version() == version) {
                        return put;
                    }
                }
                for (Op put : candidates) {
                    if (put.isIndeterminate() && put.start() <= readEnd) {
                        return put;
                    }
                }
                for (Op put : candidates) {
                    if (put.outcome() != Outcome.FAIL) {
                        return put;
                    }
                }
            }
            return candidates.getFirst();
        }

        /** Phantom-read checks of the OK value reads; the reads that pass become events. */
        private void checkValueReads() {
            for (Op read : ops) {
                if (!read.isValueRead()) {
                    continue;
                }
                Op put = writerOf(read.valueRead(), read.version(), read.end());
                if (put == null) {
                    violation(Rule.PHANTOM_READ, () -> d(read) + " returned a value no PUT of this key wrote", read);
                } else if (put.outcome() == Outcome.FAIL) {
                    violation(Rule.READ_OF_FAILED_WRITE, () -> d(read) + " returned the value of " + d(put)
                            + ", which FAILED and must not have taken effect", read, put);
                } else if (put.start() > read.end()) {
                    violation(Rule.READ_BEFORE_WRITE, () -> d(read) + " returned the value of " + d(put)
                            + ", which was only invoked after the read completed", read, put);
                } else if (put.isOk() && put.version() != read.version()) {
                    violation(Rule.VERSION_MISMATCH, () -> d(read) + " returned the value of " + d(put)
                            + " with version " + read.version() + " instead of its version " + put.version(),
                            read, put);
                } else if (put.isIndeterminate()
                        && firstReader.putIfAbsent(put.id(), read) instanceof Op first
                        && first.version() != read.version()) {
                    violation(Rule.VERSION_MISMATCH, () -> d(read) + " returned the value of " + d(put)
                            + " with version " + read.version() + ", but " + d(first) + " returned it with version "
                            + first.version() + "; one write has one version", read, put, first);
                } else {
                    events.add(Event.of(read, read.end(), read.version(), false, true));
                }
            }
        }

        /** Acknowledged writes, and UNKNOWN / PENDING PUTs a read saw (with that read's version, end infinite). */
        private void addWriteEvents() {
            Map<Long, Event> byVersion = new HashMap<>();
            for (Op op : ops) {
                Event write = null;
                if (op.isAcknowledgedWrite()) {
                    if (op.version() <= 0) {
                        violation(Rule.INVALID_VERSION, () -> d(op) + " was acknowledged without a positive version",
                                op);
                        continue;
                    }
                    write = Event.of(op, op.end(), op.version(), true, op.isPut());
                } else if (op.isPut() && op.isIndeterminate() && firstReader.get(op.id()) instanceof Op reader) {
                    write = Event.of(op, Op.NO_END, reader.version(), true, true);
                }
                if (write != null) {
                    events.add(write);
                    Event same = byVersion.putIfAbsent(write.version(), write);
                    if (same != null) {
                        Event w = write;
                        violation(Rule.DUPLICATE_VERSION, () -> d(w.op()) + " and " + d(same.op())
                                + " are different writes with the same version " + w.version(), w.op(), same.op());
                    }
                }
            }
        }

        private static String versionOf(Event e) {
            return e.op().isIndeterminate() ? "version " + e.version() + " (as observed by a read)"
                    : "version " + e.version();
        }

        /**
         * W->W, W->R, R->W, R->R: each event against the largest version that completed before it was invoked,
         * counting absences as predecessors (anything invoked after a 404 that followed version M must be above M).
         */
        private void checkRealTimeOrder() {
            List<Event> predecessors = new ArrayList<>(events);
            predecessors.addAll(absences);
            CompletedIndex completed = new CompletedIndex(predecessors);
            for (Event b : events) {
                Event a = completed.maxBefore(b.start());
                if (a == null || !a.contradicts(b)) {
                    continue;
                }
                String before = ", which completed before " + (b.write() ? "the write" : "the read")
                        + " was invoked";
                if (a.absence()) {
                    String absent = d(a.op()) + " observed the key absent after " + d(a.after())
                            + " had completed, so a delete with a version above " + a.version() + " took effect"
                            + " before it" + before;
                    if (b.write()) {
                        violation(Rule.WRITE_BELOW_OBSERVED, () -> d(b.op()) + " has " + versionOf(b)
                                + ", not above " + a.version() + ", but " + absent, b.op(), a.op(), a.after());
                    } else {
                        violation(Rule.READ_WENT_BACK, () -> d(b.op()) + " returned version " + b.version()
                                + ", not above " + a.version() + ", but " + absent, b.op(), a.op(), a.after());
                    }
                } else if (a.write() && b.write()) {
                    violation(Rule.WRITE_AFTER_WRITE, () -> d(b.op()) + " has " + versionOf(b) + ", not above "
                            + versionOf(a) + " of " + d(a.op()) + before, b.op(), a.op());
                } else if (a.write()) {
                    violation(Rule.STALE_READ, () -> d(b.op()) + " returned version " + b.version()
                            + ", older than " + versionOf(a) + " of " + d(a.op()) + before, b.op(), a.op());
                } else if (b.write()) {
                    violation(Rule.WRITE_BELOW_OBSERVED, () -> d(b.op()) + " has " + versionOf(b) + ", not above"
                            + " version " + a.version() + " already returned by " + d(a.op()) + before,
                            b.op(), a.op());
                } else {
                    violation(Rule.READ_WENT_BACK, () -> d(b.op()) + " returned version " + b.version()
                            + ", older than version " + a.version() + " already returned by " + d(a.op()) + before,
                            b.op(), a.op());
                }
            }
        }

        /** GET 404 / DELETE 404 after a completed value, with no delete that could have come in between. */
        private void checkAbsences() {
            CompletedIndex values = new CompletedIndex(events.stream().filter(Event::value).toList());
            Op[] deletes = ops.stream().filter(op -> op.isAcknowledgedWrite() && op.isDelete() && op.version() > 0)
                    .sorted(BY_START).toArray(Op[]::new);
            long[] deleteStarts = Arrays.stream(deletes).mapToLong(Op::start).toArray();
            long[] deleteMaxVersion = new long[deletes.length];
            for (int i = 0; i < deletes.length; i++) {
                deleteMaxVersion[i] = Math.max(deletes[i].version(), i == 0 ? 0 : deleteMaxVersion[i - 1]);
            }
            long firstUnknownDelete = ops.stream().filter(op -> op.isDelete() && op.isIndeterminate())
                    .mapToLong(Op::start).min().orElse(Long.MAX_VALUE);

            for (Op read : ops) {
                if (!read.observedAbsence()) {
                    continue;
                }
                Event a = values.maxBefore(read.start());
                if (a == null) {
                    continue;
                }
                int invoked = countAtMost(deleteStarts, read.end());
                long newestDelete = invoked == 0 ? 0 : deleteMaxVersion[invoked - 1];
                if (firstUnknownDelete <= read.end() || newestDelete > a.version()) {
                    // Explained: some delete above a.version() took effect before the read. Remember that.
                    absences.add(new Event(read, read.start(), read.end(), a.version(), false, false, a.op()));
                    continue;
                }
                String deletes0 = invoked == 0 ? "no DELETE had been invoked by then"
                        : "the newest acknowledged DELETE invoked by then has version " + newestDelete;
                violation(Rule.ABSENT_AFTER_WRITE, () -> d(read) + " observed the key absent, but " + d(a.op())
                        + " (" + versionOf(a) + ") completed before it was invoked, and no delete can explain the"
                        + " absence: " + deletes0 + ", and no DELETE of unknown outcome was invoked by then",
                        read, a.op());
            }
        }

        private void checkFinalState() {
            if (fin == null) {
                ops.stream().filter(op -> !op.isGet() && op.outcome() != Outcome.FAIL).findFirst().ifPresent(w ->
                        violation(Rule.FINAL_MISSING, () -> "the key was written (e.g. " + d(w)
                                + ") but the final state has no entry for it", w));
                return;
            }
            Event newestAck = null;
            Event newestAny = null;
            Event newestValue = null;
            for (Event e : events) {
                if (e.write() && e.op().isOk() && (newestAck == null || e.beats(newestAck))) {
                    newestAck = e;
                }
                if (newestAny == null || e.beats(newestAny)) {
                    newestAny = e;
                }
                if (e.value() && (newestValue == null || e.beats(newestValue))) {
                    newestValue = e;
                }
            }
            for (Event e : absences) {
                if (newestAny == null || e.beats(newestAny)) {
                    newestAny = e;
                }
            }
            if (fin.isAbsent()) {
                checkFinalAbsent(newestValue);
            } else {
                checkFinalValue(newestAck, newestAny);
            }
        }

        private String finalDescription() {
            return fin.isAbsent() ? "the final state (absent)"
                    : "the final state (" + Report.quote(fin.value()) + " v" + fin.version() + ")";
        }

        private void checkFinalValue(Event newestAck, Event newestAny) {
            Op put = writerOf(fin.value(), fin.version(), Long.MAX_VALUE);
            if (put == null) {
                violation(Rule.PHANTOM_READ, () -> finalDescription() + " holds a value no PUT of this key wrote");
            } else if (put.outcome() == Outcome.FAIL) {
                violation(Rule.READ_OF_FAILED_WRITE, () -> finalDescription() + " holds the value of " + d(put)
                        + ", which FAILED and must not have taken effect", put);
            } else if (put.isOk() && put.version() != fin.version()) {
                violation(Rule.VERSION_MISMATCH, () -> finalDescription() + " holds the value of " + d(put)
                        + " with another version than its " + put.version(), put);
            } else if (firstReader.get(put.id()) instanceof Op reader && reader.version() != fin.version()) {
                violation(Rule.VERSION_MISMATCH, () -> finalDescription() + " holds the value of " + d(put)
                        + ", which " + d(reader) + " returned with version " + reader.version(), put, reader);
            }
            if (newestAck != null) {
                Event ack = newestAck;
                if (fin.version() < ack.version()) {
                    violation(Rule.LOST_WRITE, () -> finalDescription() + " is older than the newest acknowledged"
                            + " write " + d(ack.op()), ack.op());
                    return;
                }
                if (fin.version() == ack.version() && events.stream().noneMatch(e -> e.write() && e.op().isOk()
                        && e.op().isPut() && e.version() == fin.version() && e.op().value().equals(fin.value()))) {
                    violation(Rule.LOST_WRITE, () -> finalDescription() + " has the version of the newest"
                            + " acknowledged write " + d(ack.op()) + " but not what it wrote", ack.op());
                    return;
                }
            }
            if (newestAny != null && newestAny.absence() && newestAny.version() >= fin.version()) {
                Event seen = newestAny;
                violation(Rule.FINAL_STALE, () -> finalDescription() + " is not above version " + seen.version()
                        + ", but " + d(seen.op()) + " observed the key absent after " + d(seen.after())
                        + " had completed, so a delete with a version above " + seen.version() + " took effect",
                        seen.op(), seen.after());
            } else if (newestAny != null && newestAny.version() > fin.version()) {
                Event seen = newestAny;
                violation(Rule.FINAL_STALE, () -> finalDescription() + " is older than " + versionOf(seen)
                        + " of " + d(seen.op()), seen.op());
            }
        }

        private void checkFinalAbsent(Event newestValue) {
            if (newestValue == null) {
                return;
            }
            long newestDelete = ops.stream().filter(op -> op.isAcknowledgedWrite() && op.isDelete())
                    .mapToLong(Op::version).max().orElse(0);
            boolean unknownDelete = ops.stream().anyMatch(op -> op.isDelete() && op.isIndeterminate());
            if (newestDelete > newestValue.version() || unknownDelete) {
                return;
            }
            Event v = newestValue;
            String deletes = newestDelete == 0 ? "there is no acknowledged DELETE"
                    : "the newest acknowledged DELETE has version " + newestDelete;
            violation(Rule.FINAL_ABSENT_WITHOUT_DELETE, () -> finalDescription() + " but the newest value is "
                    + versionOf(v) + " of " + d(v.op()) + ", and no delete can explain the absence: " + deletes
                    + ", and no DELETE of unknown outcome was invoked", v.op());
        }
    }

    /** Collects violations (the first {@link #MAX_REPORTED} in full) and formats ops relative to the first start. */
    private static final class Report {
        private final long base;
        private final List<Violation> violations = new ArrayList<>();
        private int total;

        Report(long base) {
            this.base = base;
        }

        void add(Rule rule, String key, List<Long> opIds, Supplier<String> text) {
            total++;
            if (violations.size() < MAX_REPORTED) {
                violations.add(new Violation(rule, key, opIds,
                        "[" + rule.label() + "] key '" + key + "': " + text.get()));
            }
        }

        /** E.g. {@code PUT #12 "v-12" [3.140ms..5.000ms] OK v7}, times from the first op's start. */
        String describe(Op op) {
            StringBuilder s = new StringBuilder().append(op.type()).append(" #").append(op.id());
            if (op.isPut()) {
                s.append(' ').append(quote(op.value()));
            }
            s.append(" [").append(time(op.start())).append("..")
                    .append(op.end() == Op.NO_END ? "pending" : time(op.end())).append(']');
            switch (op.outcome()) {
                case OK -> {
                    if (op.observedAbsence()) {
                        s.append(op.isGet() ? " OK 404 absent" : " OK 404 nothing to delete");
                    } else if (op.isGet()) {
                        s.append(" OK read ").append(quote(op.valueRead())).append(" v").append(op.version());
                    } else {
                        s.append(" OK v").append(op.version());
                    }
                }
                case FAIL -> s.append(" FAILED (").append(op.why()).append(')');
                case UNKNOWN -> s.append(" UNKNOWN (").append(op.why()).append(')');
                case PENDING -> s.append(" PENDING");
            }
            return s.toString();
        }

        private String time(long t) {
            return String.format(Locale.ROOT, "%.3fms", (t - base) / 1e6);
        }

        static String quote(String value) {
            return '"' + (value.length() <= 40 ? value : value.substring(0, 37) + "...") + '"';
        }
    }
}
