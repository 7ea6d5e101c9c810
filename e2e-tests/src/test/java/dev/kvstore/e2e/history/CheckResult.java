package dev.kvstore.e2e.history;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link LinearizabilityChecker#check} found.
 *
 * @param violations the first violations found (at most {@link LinearizabilityChecker#MAX_REPORTED}), in key
 *                   order and, within a key, roughly in time order
 * @param total      how many violations were found in all, reported or not
 */
public record CheckResult(List<Violation> violations, int total) {

    public CheckResult {
        violations = List.copyOf(violations);
    }

    /** True when no rule was broken. */
    public boolean ok() {
        return total == 0;
    }

    /** The reported violations' messages. */
    public List<String> messages() {
        return violations.stream().map(Violation::message).toList();
    }

    /** "linearizable", or the count and the reported violations, one a line; made for assertion messages. */
    public String summary() {
        if (ok()) {
            return "linearizable";
        }
        String head = total + " violation(s)" + (total > violations.size() ? ", first " + violations.size() : "")
                + ":\n  ";
        return violations.stream().map(Violation::message).collect(Collectors.joining("\n  ", head, ""));
    }

    @Override
    public String toString() {
        return summary();
    }

    /** The rules a history can break, with the label that starts every message about them. */
    public enum Rule {
        /** Two PUTs of one key wrote the same value: reads of it cannot be attributed. */
        AMBIGUOUS_HISTORY("ambiguous history"),
        /** An OK PUT or DELETE acknowledged without a usable (positive) version. */
        INVALID_VERSION("invalid version"),
        /** A read (or the final state) returned a value no PUT of that key wrote. */
        PHANTOM_READ("phantom read: value never written"),
        /** A read (or the final state) returned the value of a PUT that FAILED. */
        READ_OF_FAILED_WRITE("read of a FAILED write"),
        /** A read returned a value whose PUT was only invoked after the read had completed. */
        READ_BEFORE_WRITE("read of a value before its PUT was invoked"),
        /** A read returned a write's value with another version than the write's. */
        VERSION_MISMATCH("version mismatch"),
        /** Two different writes of one key have the same version. */
        DUPLICATE_VERSION("duplicate version"),
        /** W->W: a write invoked after another completed has a version not above it. */
        WRITE_AFTER_WRITE("real-time W->W: write version not above an earlier write"),
        /** W->R: a read invoked after a write completed returned an older version. */
        STALE_READ("real-time W->R: stale read"),
        /** R->W: a write invoked after a read completed has a version not above what was read. */
        WRITE_BELOW_OBSERVED("real-time R->W: write version not above one already observed"),
        /** R->R: a read invoked after another completed returned an older version. */
        READ_WENT_BACK("real-time R->R: read went back in time"),
        /** W->R for 404s: absent after a completed write, and no delete can explain it. */
        ABSENT_AFTER_WRITE("real-time W->R: absent read after a write with no delete"),
        /** The final state is older than, or differs from, the newest acknowledged write. */
        LOST_WRITE("lost acknowledged write"),
        /** The final state is older than a version a read (or an observed unknown write) already showed. */
        FINAL_STALE("final state older than observed"),
        /** The final state is absent but the newest write was a value and no delete can explain it. */
        FINAL_ABSENT_WITHOUT_DELETE("final state absent without a delete"),
        /** A key was written but has no entry in the final state. */
        FINAL_MISSING("final state missing for a written key");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One broken rule.
     *
     * @param rule    which
     * @param key     the key
     * @param opIds   the ids of the operations involved, the offending one first (empty for the final state)
     * @param message human-readable: "[rule label] key 'k': ..." naming the ops with ids, times and versions
     */
    public record Violation(Rule rule, String key, List<Long> opIds, String message) {

        public Violation {
            opIds = List.copyOf(opIds);
        }

        @Override
        public String toString() {
            return message;
        }
    }
}
