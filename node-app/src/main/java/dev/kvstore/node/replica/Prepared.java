package dev.kvstore.node.replica;

import dev.kvstore.model.PrepareRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A transaction prepared here: its write, holding its key until decided. The replica changes what it
 * applies ({@link #request}, {@link #voided}, {@link #outcome}); the participant keeps its own
 * bookkeeping here too (the decision lock, the PREPARE record's sequence, when it last reported it).
 */
public final class Prepared {

    private final String txId;
    /** What to apply at commit; a move retargets it to the table its key moved to. */
    private volatile PrepareRequest request;
    private final long versionAtPrepare;
    private final long floorAtPrepare;
    private final Instant since;
    private final ReentrantLock decision = new ReentrantLock();
    private volatile long prepareSeq;
    private volatile Outcome outcome;
    /** Set by a drop of the key's range from its table: the write no longer applies here. */
    private volatile boolean voided;
    /** When "still in doubt" was last logged for it; null before the first time. */
    private volatile Instant reportedStillInDoubt;
    /** Set (durably) when the replica began settling it with its peer; it then refuses the coordinator's abort. */
    private volatile boolean resolving;
    /** Opened when it stops holding its key: decided, or forgotten because its record never became durable. */
    private final CountDownLatch released = new CountDownLatch(1);

    Prepared(String txId, PrepareRequest request, long versionAtPrepare, long floorAtPrepare, Instant since) {
        this.txId = txId;
        this.request = request;
        this.versionAtPrepare = versionAtPrepare;
        this.floorAtPrepare = floorAtPrepare;
        this.since = since;
    }

    public String txId() {
        return txId;
    }

    public PrepareRequest request() {
        return request;
    }

    void request(PrepareRequest request) {
        this.request = request;
    }

    public long versionAtPrepare() {
        return versionAtPrepare;
    }

    public long floorAtPrepare() {
        return floorAtPrepare;
    }

    public Instant since() {
        return since;
    }

    /** Held while the participant decides it, so one decision is logged and applied at a time. */
    public ReentrantLock decision() {
        return decision;
    }

    /** The sequence of its PREPARE record, which a repeated prepare waits for too. */
    public long prepareSeq() {
        return prepareSeq;
    }

    public void prepareSeq(long seq) {
        this.prepareSeq = seq;
    }

    /** Null until decided. */
    public Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome outcome) {
        this.outcome = outcome;
    }

    void released() {
        released.countDown();
    }

    /** Waits at most {@code max} for it to release its key; true if it did. */
    public boolean awaitRelease(Duration max) {
        try {
            return released.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The version it commits at, chosen before the prepare; 0 for a prepare logged before versions were. */
    public long version() {
        return request.version();
    }

    public boolean resolving() {
        return resolving;
    }

    void resolving(boolean resolving) {
        this.resolving = resolving;
    }

    public boolean voided() {
        return voided;
    }

    void voided(boolean voided) {
        this.voided = voided;
    }

    public Instant reportedStillInDoubt() {
        return reportedStillInDoubt;
    }

    public void reportedStillInDoubt(Instant at) {
        this.reportedStillInDoubt = at;
    }
}
