package dev.kvstore.coordinator.txn;

import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeRejectedException;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.TxnState;
import dev.kvstore.model.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one write through two-phase commit over its replicas: prepare on all in parallel; commit on
 * all if every vote is yes and the condition holds, otherwise abort on all. The caller must hold
 * the key's write lock, so writes to one key never interleave here.
 */
public final class TwoPhaseCommit {

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);

    private final NodeClient participants;
    private final TxnRegistry registry;
    private final VersionClock versions;
    private final ExecutorService executor;
    private final Duration commitPatience;
    private final TxnObserver observer;

    /**
     * @param executor       runs the calls to the replicas in parallel (virtual threads)
     * @param commitPatience how long to keep retrying a commit a replica did not confirm before
     *                       answering the client that the write is unconfirmed
     */
    public TwoPhaseCommit(NodeClient participants, TxnRegistry registry, VersionClock versions,
                          ExecutorService executor, Duration commitPatience) {
        this(participants, registry, versions, executor, commitPatience, TxnObserver.NONE);
    }

    /** @param observer hears each transaction's phases and decision (metrics) */
    public TwoPhaseCommit(NodeClient participants, TxnRegistry registry, VersionClock versions,
                          ExecutorService executor, Duration commitPatience, TxnObserver observer) {
        this.participants = participants;
        this.registry = registry;
        this.versions = versions;
        this.executor = executor;
        this.commitPatience = commitPatience;
        this.observer = observer;
    }

    public WriteOutcome write(List<Replica> replicas, Write write) {
        String txId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        registry.begin(txId);
        List<Future<Vote>> voting = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            PrepareRequest request = new PrepareRequest(write.key(), replica.table(), write.op(), write.value(),
                    write.contentType(), write.condition().expectedVersion(), peersOf(replica, replicas));
            voting.add(inParallel(i == replicas.size() - 1, () -> participants.prepare(replica.url(), txId, request)));
        }

        long current = 0;
        // Above every version a replica has seen for the key, deletions included: a write at or below
        // one would not apply there.
        long seen = 0;
        WriteOutcome refusal = null;
        TxnObserver.AbortReason why = null;
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            try {
                Vote vote = voting.get(i).get();
                current = Math.max(current, vote.currentVersion());
                seen = Math.max(seen, vote.versionToExceed());
                if (!vote.yes() && refusal == null) {
                    boolean conflict = Vote.CONFLICT.equals(vote.reason());
                    if (conflict) {
                        refusal = new WriteOutcome.ConditionFailed(vote.currentVersion());
                    } else if (Vote.NO_SPACE.equals(vote.reason())) {
                        refusal = new WriteOutcome.InsufficientStorage(replica.nodeId());
                    } else {
                        refusal = new WriteOutcome.Unavailable(replica.nodeId(), "the key is held by an unfinished "
                                + "transaction on node " + replica.nodeId() + " (" + vote.reason() + ")");
                    }
                    why = conflict ? TxnObserver.AbortReason.CONDITION_FAILED : TxnObserver.AbortReason.VOTE_NO;
                }
            } catch (ExecutionException e) {
                if (refusal == null || refusal instanceof WriteOutcome.ConditionFailed) {
                    refusal = new WriteOutcome.Unavailable(replica.nodeId(), "node " + replica.nodeId()
                            + " could not prepare: " + e.getCause().getMessage());
                    why = TxnObserver.AbortReason.UNAVAILABLE;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refusal = new WriteOutcome.Unavailable(replica.nodeId(), "interrupted");
                why = TxnObserver.AbortReason.UNAVAILABLE;
            }
        }
        if (refusal == null && write.condition() instanceof Precondition.MustExist && current == 0) {
            refusal = new WriteOutcome.ConditionFailed(0);
            why = TxnObserver.AbortReason.CONDITION_FAILED;
        }
        long voted = System.nanoTime();
        observer.prepared(voted - start);
        if (refusal != null) {
            abort(txId, replicas, refusal);
            observer.aborted(why, System.nanoTime() - voted);
            return refusal;
        }

        long version = versions.next(seen);
        registry.decide(txId, TxnState.COMMITTED, version, replicas);
        List<Future<Boolean>> committing = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            committing.add(inParallel(i == replicas.size() - 1, () -> commitPatiently(txId, replica, version)));
        }
        String unconfirmed = null;
        for (int i = 0; i < replicas.size(); i++) {
            if (!Boolean.TRUE.equals(join(committing.get(i)))) {
                unconfirmed = replicas.get(i).nodeId();
            }
        }
        observer.committed(System.nanoTime() - voted, unconfirmed == null);
        if (unconfirmed != null) {
            log.warn("txId={} nodeId={} committed at version {} but not confirmed by this node yet; will retry",
                    txId, unconfirmed, version);
            return new WriteOutcome.Unconfirmed(version, unconfirmed);
        }
        return new WriteOutcome.Committed(version, current == 0);
    }

    /**
     * Re-sends decisions replicas have not acknowledged (the timer behind this calls it), each to its
     * node's URL now: a node that restarted listens on another port, and its old one may serve another
     * node. A replica that did not answer is skipped for the rest of the round, so a node that accepts
     * connections and never answers costs one read timeout per round, not one per decision it has pending.
     *
     * @param currentUrl a node id's URL now; empty while the node is not registered (its decisions wait)
     */
    public int retryPending(Function<String, Optional<String>> currentUrl) {
        int done = 0;
        Set<String> unreachable = new HashSet<>();
        for (TxnRegistry.Pending pending : registry.pending()) {
            for (Replica replica : pending.unacknowledged()) {
                Optional<String> url = currentUrl.apply(replica.nodeId());
                if (url.isEmpty() || unreachable.contains(url.get())) {
                    continue;
                }
                try {
                    if (pending.decision() == TxnState.COMMITTED) {
                        participants.commit(url.get(), pending.txId(), pending.version());
                    } else {
                        participants.abort(url.get(), pending.txId());
                    }
                    registry.acknowledged(pending.txId(), replica);
                    log.info("txId={} nodeId={} acknowledged {} on retry", pending.txId(), replica.nodeId(),
                            pending.decision());
                    done++;
                } catch (NodeUnavailableException stillDown) {
                    unreachable.add(url.get());
                    log.debug("txId={} nodeId={} still unreachable", pending.txId(), replica.nodeId());
                } catch (NodeRejectedException e) {
                    // The node decided otherwise (it resolved the doubt itself): retrying cannot help.
                    log.error("txId={} nodeId={} refused the decision {}: {}", pending.txId(), replica.nodeId(),
                            pending.decision(), e.getMessage());
                    registry.acknowledged(pending.txId(), replica);
                }
            }
        }
        return done;
    }

    /**
     * Decides abort and sends it to every replica, but waits only for those that answered the prepare:
     * the one that could not prepare (down, or accepting connections and never answering) would hold
     * the client for another read timeout, and holds no lock of this transaction that anyone waits on.
     * Its abort still goes out, and the retries deliver it if this one does not.
     */
    private void abort(String txId, List<Replica> replicas, WriteOutcome why) {
        String silent = why instanceof WriteOutcome.Unavailable unavailable ? unavailable.nodeId() : null;
        registry.decide(txId, TxnState.ABORTED, 0, replicas);
        List<Future<?>> aborting = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            aborting.add(executor.submit(() -> {
                try {
                    participants.abort(replica.url(), txId);
                    registry.acknowledged(txId, replica);
                } catch (NodeUnavailableException unreachable) {
                    log.debug("txId={} nodeId={} abort not delivered; will retry", txId, replica.nodeId());
                } finally {
                    registry.attemptEnded(txId, replica);
                }
            }));
        }
        for (int i = 0; i < replicas.size(); i++) {
            if (!replicas.get(i).nodeId().equals(silent)) {
                join(aborting.get(i));
            }
        }
        log.debug("txId={} aborted: {}", txId, why);
    }

    private boolean commitPatiently(String txId, Replica replica, long version) {
        try {
            return commitUntil(txId, replica, version);
        } finally {
            registry.attemptEnded(txId, replica);
        }
    }

    private boolean commitUntil(String txId, Replica replica, long version) {
        long deadline = System.nanoTime() + commitPatience.toNanos();
        long backoffMillis = 10;
        while (true) {
            try {
                participants.commit(replica.url(), txId, version);
                registry.acknowledged(txId, replica);
                return true;
            } catch (NodeUnavailableException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoffMillis = Math.min(backoffMillis * 2, 200);
            }
        }
    }

    /** By node id, not URL: a node in doubt after a restart finds its peer's new address through membership. */
    private static List<String> peersOf(Replica self, List<Replica> replicas) {
        return replicas.stream().filter(r -> !r.equals(self)).map(Replica::nodeId).toList();
    }

    /**
     * Runs {@code call} on the executor, or, for the last of a phase's calls, on this thread, which would
     * otherwise only wait: one thread hand-off less on every phase.
     */
    private <T> Future<T> inParallel(boolean last, Callable<T> call) {
        if (!last) {
            return executor.submit(call);
        }
        try {
            return CompletableFuture.completedFuture(call.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
