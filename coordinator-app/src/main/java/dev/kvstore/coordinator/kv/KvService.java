package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.coordinator.membership.Member;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.coordinator.nodeclient.NodeValue;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.Replica;
import dev.kvstore.coordinator.txn.TwoPhaseCommit;
import dev.kvstore.coordinator.txn.Write;
import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.Key;
import dev.kvstore.model.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** Reads through the cache, writes through two-phase commit, both on the key's two replicas. */
public final class KvService {

    /** A key is stored on its primary and the primary's successor. */
    static final int REPLICAS = HashRing.REPLICAS;

    private final Membership membership;
    private final RingHolder ring;
    private final WriteGate gate;
    private final Duration lockTimeout;
    private final TwoPhaseCommit txn;
    private final NodeClient nodes;
    private final SetAssociativeCache<String, CachedValue> cache;
    private final KeyLocks locks;
    private final Supplier<String> forming;

    /** @param forming what the ring waits for while it has not formed, for the 503 answered meanwhile */
    public KvService(Membership membership, RingHolder ring, WriteGate gate, TwoPhaseCommit txn,
                     NodeClient nodes, SetAssociativeCache<String, CachedValue> cache, Duration lockTimeout,
                     Supplier<String> forming) {
        this.membership = membership;
        this.ring = ring;
        this.gate = gate;
        this.lockTimeout = lockTimeout;
        this.txn = txn;
        this.nodes = nodes;
        this.cache = cache;
        this.locks = new KeyLocks(lockTimeout);
        this.forming = forming;
    }

    /** The committed value: from the cache, else from the primary, else from the replica. */
    public Optional<CachedValue> get(Key key) {
        CachedValue hit = cache.get(key.text());
        if (hit != null) {
            return Optional.of(hit);
        }
        try (WriteGate.Pass pass = gate.read(key, lockTimeout); KeyLocks.Held ignored = locks.shared(key.text())) {
            List<Replica> replicas = place(key).upFirst();
            txn.awaitCommits(key.text()); // a write answered a moment ago may not be marked committed on its replicas yet
            String failures = "";
            for (Replica replica : replicas) {
                if (replica.url() == null) {
                    continue; // a ring member that has not registered since this coordinator started
                }
                try {
                    Optional<NodeValue> read = nodes.read(replica.url(), replica.table(), key.text());
                    read.ifPresent(v -> cache.put(key.text(), new CachedValue(v.value(), v.contentType(), v.version())));
                    return read.map(v -> new CachedValue(v.value(), v.contentType(), v.version()));
                } catch (NodeUnavailableException e) {
                    failures += " " + replica.nodeId() + ": " + e.getMessage() + ".";
                }
            }
            throw new ReplicasUnavailableException("no replica of key '" + key.text() + "' could be read:" + failures);
        }
    }

    /** Stores the value on both replicas, or on neither. */
    public WriteOutcome.Committed put(Key key, byte[] value, String contentType, Precondition condition) {
        return write(key, Write.put(key.text(), value, contentType, condition), new CachedValue(value, contentType, 0));
    }

    /** Removes the key from both replicas; absent keys are a {@link KeyNotFoundException}. */
    public WriteOutcome.Committed delete(Key key, Precondition condition) {
        Precondition effective = condition instanceof Precondition.None ? new Precondition.MustExist() : condition;
        try {
            return write(key, Write.delete(key.text(), effective), null);
        } catch (PreconditionFailedException absent) {
            if (condition instanceof Precondition.None) {
                throw new KeyNotFoundException(key.text());
            }
            throw absent;
        }
    }

    private WriteOutcome.Committed write(Key routed, Write write, CachedValue newValue) {
        String key = routed.text();
        try (WriteGate.Pass pass = gate.write(routed, lockTimeout); KeyLocks.Held ignored = locks.exclusive(key)) {
            Placement placement = place(routed);
            for (int i = 0; i < REPLICAS; i++) {
                Replica replica = placement.replicas().get(i);
                Member member = placement.members().get(i);
                if (!member.isUp()) {
                    throw new ReplicasUnavailableException("node " + replica.nodeId() + ", a replica of key '" + key
                            + "', is down; writes to this key wait until its data has two live copies again");
                }
                if (!member.isWritable()) {
                    throw new ReplicasUnavailableException("node " + replica.nodeId() + ", a replica of key '" + key
                            + "', cannot make writes durable now (" + member.notWritable() + "); writes to this key "
                            + "wait until it heals or its data is failed over to another node");
                }
            }
            WriteOutcome outcome = txn.write(placement.replicas(), write);
            switch (outcome) {
                case WriteOutcome.Committed committed -> {
                    if (newValue == null) {
                        cache.remove(key);
                    } else {
                        cache.put(key, new CachedValue(newValue.value(), newValue.contentType(), committed.version()));
                    }
                    return committed;
                }
                case WriteOutcome.ConditionFailed failed -> throw new PreconditionFailedException(key, failed.currentVersion());
                case WriteOutcome.Unavailable unavailable -> throw new ReplicasUnavailableException(unavailable.reason());
                case WriteOutcome.InsufficientStorage full -> throw new InsufficientStorageException(key, full.nodeId());
                case WriteOutcome.Unknown unknown -> {
                    cache.remove(key);
                    throw new WriteUnconfirmedException(key, unknown.reason());
                }
            }
        }
    }

    /**
     * Runs a change to {@code key}'s value made outside a client write (an operator settling a transaction
     * in doubt) under the key's exclusive lock, then drops its cached value, so no read serves the old one.
     */
    public void changeOutsideWrites(String key, Runnable change) {
        try (KeyLocks.Held ignored = locks.exclusive(key)) {
            try {
                change.run();
            } finally {
                cache.remove(key); // also when the outcome is unknown: a later read asks the replicas
            }
        }
    }

    /** The key's primary (own table) and its successor (prev table), each with its member as found once. */
    private Placement place(Key key) {
        if (!ring.formed()) {
            throw new ReplicasUnavailableException("the cluster is forming (the coordinator started recently): "
                    + forming.get());
        }
        List<String> ids = ring.current().preferenceList(key.hash(), REPLICAS);
        if (ids.size() < REPLICAS) {
            throw new ReplicasUnavailableException("the cluster has " + ids.size() + " node(s); every key needs "
                    + REPLICAS + " replicas, so at least " + REPLICAS + " nodes must be registered");
        }
        List<Replica> replicas = new ArrayList<>(REPLICAS);
        List<Member> members = new ArrayList<>(REPLICAS);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Member member = membership.member(id).orElseThrow(
                    () -> new ReplicasUnavailableException("node " + id + " left the cluster"));
            replicas.add(new Replica(id, member.url(), i == 0 ? Table.OWN : Table.PREV));
            members.add(member);
        }
        return new Placement(replicas, members);
    }

    /** A key's replicas, in ring order, and the member each one is (same index). */
    private record Placement(List<Replica> replicas, List<Member> members) {

        /**
         * Replicas that can write first, primary before replica; then live ones whose log failed (they may be
         * rebuilding their tables); down ones last, in case they are back already.
         */
        List<Replica> upFirst() {
            return IntStream.range(0, replicas.size()).boxed()
                    .sorted(Comparator.comparingInt(i -> rank(members.get(i))))
                    .map(replicas::get)
                    .toList();
        }

        private static int rank(Member member) {
            return member.isWritable() ? 0 : member.isUp() ? 1 : 2;
        }
    }
}
