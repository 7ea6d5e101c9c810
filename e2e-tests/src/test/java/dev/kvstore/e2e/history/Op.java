package dev.kvstore.e2e.history;

import java.util.Objects;

/**
 * One operation of a {@link History}: an immutable snapshot.
 *
 * @param id        unique within its history, increasing in invocation order
 * @param type      PUT, DELETE or GET
 * @param key       the key
 * @param value     the value written by a PUT; {@code null} for GET and DELETE
 * @param start     {@link System#nanoTime()} just before the request was sent
 * @param end       {@link System#nanoTime()} when the outcome was known; {@link #NO_END} while {@link Outcome#PENDING}
 * @param outcome   OK, FAIL, UNKNOWN or PENDING
 * @param version   for an OK PUT / DELETE the version from the ETag (0 for a DELETE answered 404, "nothing to
 *                  delete"); for an OK GET the version of the value read (0 when absent); 0 otherwise
 * @param valueRead for an OK GET the value read, {@code null} when the key was absent (404); {@code null} otherwise
 * @param why       for FAIL / UNKNOWN a short reason (status, exception); {@code null} otherwise
 */
public record Op(long id, OpType type, String key, String value, long start, long end, Outcome outcome,
                 long version, String valueRead, String why) {

    /** The {@link #end()} of an operation that never completed. */
    public static final long NO_END = Long.MAX_VALUE;

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (type == OpType.PUT && value == null) {
            throw new IllegalArgumentException("a PUT needs a value");
        }
        if (type != OpType.PUT && value != null) {
            throw new IllegalArgumentException(type + " takes no value");
        }
        if (outcome == Outcome.PENDING && end != NO_END) {
            throw new IllegalArgumentException("a pending op has no end");
        }
        if (outcome != Outcome.PENDING && end < start) {
            throw new IllegalArgumentException("op " + id + " ends (" + end + ") before it starts (" + start + ")");
        }
    }

    /** A just-invoked operation. */
    static Op invoked(long id, OpType type, String key, String value, long start) {
        return new Op(id, type, key, value, start, NO_END, Outcome.PENDING, 0, null, null);
    }

    /** This operation, completed at {@code end}. */
    Op completed(long end, Outcome outcome, long version, String valueRead, String why) {
        return new Op(id, type, key, value, start, end, outcome, version, valueRead, why);
    }

    public boolean isPut() {
        return type == OpType.PUT;
    }

    public boolean isDelete() {
        return type == OpType.DELETE;
    }

    public boolean isGet() {
        return type == OpType.GET;
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }

    /** UNKNOWN or PENDING: may or may not have taken effect, at any time after {@link #start()}. */
    public boolean isIndeterminate() {
        return outcome == Outcome.UNKNOWN || outcome == Outcome.PENDING;
    }

    /** An OK GET that returned a value. */
    public boolean isValueRead() {
        return isOk() && isGet() && valueRead != null;
    }

    /** An OK GET answered 404, or an OK DELETE answered 404: the op observed that the key was absent. */
    public boolean observedAbsence() {
        return isOk() && ((isGet() && valueRead == null) || (isDelete() && version == 0));
    }

    /** An OK PUT, or an OK DELETE answered 204: a write with a known version. */
    public boolean isAcknowledgedWrite() {
        return isOk() && (isPut() || (isDelete() && version != 0));
    }
}
