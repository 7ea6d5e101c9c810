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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one write through the one-round commit over its replicas (the protocol is in this package's
 * documentation): chooses the version, prepares on all in parallel, and answers "written" as soon as
 * every replica voted yes, the COMMITs following in the background; otherwise aborts, and answers
 * "not written" only once some replica has durably refused or aborted it. The caller must hold the
 * key's write lock, so writes to one key never interleave here.
 */
public final class TwoPhaseCommit {

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);
    /** A version below what a replica has seen (another coordinator's clock ran ahead) is chosen again this often. */
    private static final int ATTEMPTS = 3;
    /**
     * How long the next write or a cache-missing read of a key waits for the COMMITs of the key's last write
     * to be acknowledged: sending its PREPARE sooner would only find the key still held on a replica.
     */
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(2);

    private final NodeClient participants;
    private final TxnRegistry registry;
    private final VersionClock versions;
    private final ExecutorService executor;
    private final TxnObserver observer;
    private final TxIdSource txIds = new TxIdSource();
    /** Keys whose last write was answered and whose COMMITs are still out, each until every replica answered. */
    private final ConcurrentHashMap<String, Committing> committing = new ConcurrentHashMap<>();

    /** @param executor runs the ABORTs to the replicas in parallel (virtual threads) */
    public TwoPhaseCommit(NodeClient participants, TxnRegistry registry, VersionClock versions,
                          ExecutorService executor) {
        this(participants, registry, versions, executor, TxnObserver.NONE);
    }

    /** @param observer hears each transaction's phases and decision (metrics) */
    public TwoPhaseCommit(NodeClient participants, TxnRegistry registry, VersionClock versions,
                          ExecutorService executor, TxnObserver observer) {
        this.participants = participants;
        this.registry = registry;
        this.versions = versions;
        this.executor = executor;
        this.observer = observer;
    }

    public WriteOutcome write(List<Replica> replicas, Write write) {
        awaitCommits(write.key());
        long above = 0;
        for (int attempt = 1; ; attempt++) {
            Attempt tried = attempt(replicas, write, versions.next(above));
            if (tried.staleBelow() == 0 || attempt == ATTEMPTS) {
                return tried.outcome();
            }
            above = tried.staleBelow();
        }
    }

    /** How one transaction ended; {@code staleBelow} > 0 when only its version was refused, as not above it. */
    private record Attempt(WriteOutcome outcome, long staleBelow) {
    }

    private Attempt attempt(List<Replica> replicas, Write write, long version) {
        String txId = txIds.next();
        long start = System.nanoTime();
        registry.begin(txId);
        List<CompletableFuture<Vote>> voting = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            PrepareRequest request = new PrepareRequest(write.key(), replica.table(), write.op(), write.value(),
                    write.contentType(), write.condition().expectedVersion(), peersOf(replica, replicas), version,
                    write.condition() instanceof Precondition.MustExist);
            // The last on this thread, which would otherwise only wait; the others without a thread each.
            voting.add(i < replicas.size() - 1 ? participants.prepareAsync(replica.url(), txId, request)
                    : called(() -> participants.prepare(replica.url(), txId, request)));
        }

        long current = 0;
        // A no vote is an ABORT the replica forced first: with one in, "not written" is final.
        boolean refusedDurably = false;
        long stale = 0;
        WriteOutcome refusal = null;
        TxnObserver.AbortReason why = null;
        String silent = null;
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            try {
                Vote vote = voting.get(i).get();
                current = Math.max(current, vote.currentVersion());
                if (vote.yes()) {
                    continue;
                }
                refusedDurably = true;
                if (Vote.STALE_VERSION.equals(vote.reason())) {
                    stale = Math.max(stale, vote.versionToExceed());
                    refusal = refusal != null ? refusal : new WriteOutcome.Unavailable(replica.nodeId(), "node "
                            + replica.nodeId() + " has seen a version of the key above " + version);
                    why = why != null ? why : TxnObserver.AbortReason.VOTE_NO;
                } else if (Vote.CONFLICT.equals(vote.reason())) {
                    refusal = new WriteOutcome.ConditionFailed(vote.currentVersion());
                    why = TxnObserver.AbortReason.CONDITION_FAILED;
                } else if (!(refusal instanceof WriteOutcome.ConditionFailed)) {
                    refusal = Vote.NO_SPACE.equals(vote.reason()) ? new WriteOutcome.InsufficientStorage(replica.nodeId())
                            : new WriteOutcome.Unavailable(replica.nodeId(), "the key is held by an unfinished "
                            + "transaction on node " + replica.nodeId() + " (" + vote.reason() + ")");
                    why = TxnObserver.AbortReason.VOTE_NO;
                }
            } catch (ExecutionException e) {
                silent = replica.nodeId();
                if (refusal == null) {
                    refusal = new WriteOutcome.Unavailable(replica.nodeId(), "node " + replica.nodeId()
                            + " could not prepare: " + e.getCause().getMessage());
                    why = TxnObserver.AbortReason.UNAVAILABLE;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                silent = replica.nodeId();
                refusal = refusal != null ? refusal : new WriteOutcome.Unavailable(replica.nodeId(), "interrupted");
                why = why != null ? why : TxnObserver.AbortReason.UNAVAILABLE;
            }
        }
        long voted = System.nanoTime();
        observer.prepared(voted - start);
        if (refusal != null) {
            boolean aborted = abort(txId, replicas, silent) || refusedDurably;
            observer.aborted(why, System.nanoTime() - voted);
            if (!aborted) {
                log.warn("txId={} nodeId={} outcome unknown: no replica voted no or confirmed the abort", txId, silent);
                return new Attempt(new WriteOutcome.Unknown(silent, refusal instanceof WriteOutcome.Unavailable u
                        ? u.reason() : "no replica confirmed the abort"), 0);
            }
            boolean onlyStale = stale > 0 && !(refusal instanceof WriteOutcome.ConditionFailed) && silent == null;
            return new Attempt(refusal, onlyStale ? stale : 0);
        }
        // The commit point: both replicas hold a forced YES, so the write is decided whatever happens next.
        registry.decide(txId, TxnState.COMMITTED, version, replicas);
        commitInBackground(txId, write.key(), replicas, version, voted);
        return new Attempt(new WriteOutcome.Committed(version, current == 0), 0);
    }

    /**
     * Sends the COMMITs after the client was answered; a replica that does not acknowledge gets it again
     * from {@link #retryPending}, and until then holds the key (a prepare or read of it waits a moment).
     */
    private void commitInBackground(String txId, String key, List<Replica> replicas, long version, long decidedAt) {
        Committing done = new Committing(new CompletableFuture<>(), replicas);
        committing.put(key, done);
        AtomicInteger open = new AtomicInteger(replicas.size());
        AtomicBoolean everyAck = new AtomicBoolean(true);
        for (Replica replica : replicas) {
            participants.commitLater(replica.url(), txId, version).whenComplete((acknowledged, failure) -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause == null) {
                    registry.acknowledged(txId, replica);
                } else if (cause instanceof NodeRejectedException refused) {
                    everyAck.set(false);
                    log.error("txId={} nodeId={} refused the commit at version {}: {}", txId, replica.nodeId(),
                            version, refused.getMessage());
                    registry.acknowledged(txId, replica);
                } else {
                    everyAck.set(false);
                    log.debug("txId={} nodeId={} commit not delivered; will retry: {}", txId, replica.nodeId(),
                            cause.getMessage());
                }
                registry.attemptEnded(txId, replica);
                if (open.decrementAndGet() == 0) {
                    committing.remove(key, done);
                    observer.committed(System.nanoTime() - decidedAt, everyAck.get());
                    done.answered().complete(null);
                }
            });
        }
    }

    /**
     * Waits (a bounded while) until the COMMITs of {@code key}'s last write were answered, so that what
     * comes next finds the key free on its replicas. The caller holds the key's lock, so no new write of it
     * starts meanwhile.
     */
    public void awaitCommits(String key) {
        Committing pending = committing.get(key);
        if (pending == null) {
            return;
        }
        if (!pending.answered().isDone()) {
            // They may be lingering to ride a later batch: this write is that batch's reason, so send them now.
            pending.replicas().forEach(replica -> participants.hurryCommits(replica.url()));
        }
        try {
            pending.answered().get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("the COMMITs of the last write of key {} are still out; going on", key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
     * Its abort still goes out, and the retries deliver it if this one does not. True when some replica
     * confirmed the abort (it forced it: the transaction can no longer commit).
     */
    private boolean abort(String txId, List<Replica> replicas, String silent) {
        registry.decide(txId, TxnState.ABORTED, 0, replicas);
        AtomicBoolean confirmed = new AtomicBoolean();
        List<Future<?>> aborting = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            aborting.add(executor.submit(() -> {
                try {
                    participants.abort(replica.url(), txId);
                    registry.acknowledged(txId, replica);
                    confirmed.set(true);
                } catch (NodeUnavailableException | NodeRejectedException notAborted) {
                    // Unreachable, or settling it with its peer (which may commit it): re-sent until it answers.
                    log.debug("txId={} nodeId={} abort not confirmed: {}", txId, replica.nodeId(), notAborted.getMessage());
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
        if (!confirmed.get()) {
            aborting.forEach(TwoPhaseCommit::join); // the silent one's answer is the last chance to say "not written"
        }
        log.debug("txId={} aborted", txId);
        return confirmed.get();
    }

    /** By node id, not URL: a node in doubt after a restart finds its peer's new address through membership. */
    /** By hand, as it runs for every replica of every write: a stream's set-up cost more than its work. */
    private static List<String> peersOf(Replica self, List<Replica> replicas) {
        List<String> peers = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            if (!replica.equals(self)) {
                peers.add(replica.nodeId());
            }
        }
        return peers;
    }

    /** The call's result, or its failure, as a completed future: the last of a phase's calls runs on this thread. */
    private static <T> CompletableFuture<T> called(Callable<T> call) {
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

    /** A write's COMMITs on their way: answered once every replica answered (or failed) its COMMIT. */
    private record Committing(CompletableFuture<Void> answered, List<Replica> replicas) {
    }
}
