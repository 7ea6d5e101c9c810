package dev.kvstore.coordinator.group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This coordinator's member of the group: the Ratis server with {@link GroupStateMachine}, the leader's
 * submissions, and the leadership's life (takeover, lease renewal, stepping down), all on one thread
 * of its own so that a takeover never runs twice at once.
 */
public final class GroupServer implements GroupLog, AutoCloseable {

    /** What the rest of the coordinator does when this member starts or stops leading. */
    public interface Duties {

        /**
         * Elected in {@code term}: rebuild the leader's working state from {@code state} (everything
         * committed before this term). Nothing is served until it returns; if it throws, the takeover is
         * tried again shortly.
         */
        void takeOver(long term, GroupState.Snapshot state);

        /** No longer leading: drop what only a leader may hold (the cache). */
        void stepDown();
    }

    /** One coordinator as this member sees it. */
    public record CoordinatorStatus(String id, String url, String role, long term, Long lastContactMillis) {
    }

    private static final Logger log = LoggerFactory.getLogger(GroupServer.class);

    private final GroupProperties properties;
    private final Map<String, GroupPeer> peers;
    private final Leadership leadership;
    private final GroupStateMachine machine;
    private final RaftServer server;
    private final boolean tls;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicLong leaderChanges = new AtomicLong();
    private final AtomicInteger renewals = new AtomicInteger();
    private static final int MAX_RENEWALS_IN_FLIGHT = 4;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("coordinator-group").daemon().factory());
    private volatile Duties duties;
    private final LeaderWatch watch;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean raisingFloor = new AtomicBoolean();

    /** Keys and trust for the Raft traffic between coordinators: mutual TLS, both ways checked. */
    public record Tls(KeyManager keys, TrustManager trust) {
    }

    public GroupServer(GroupProperties properties) {
        this(properties, null);
    }

    /** @param tls for Raft over mutual TLS, or null for plain gRPC */
    public GroupServer(GroupProperties properties, Tls tls) {
        this.properties = properties;
        this.tls = tls != null;
        Map<String, GroupPeer> members = new LinkedHashMap<>();
        properties.members().forEach(p -> members.put(p.id(), p));
        if (members.isEmpty()) {
            int port = properties.raftPort() == 0 ? RatisSetup.freePort() : properties.raftPort();
            members.put(properties.id(), new GroupPeer(properties.id(), "127.0.0.1:" + port, null));
        }
        this.peers = Map.copyOf(members);
        this.leadership = new Leadership(properties.id(), peers, System::nanoTime, properties.lease());
        this.watch = new LeaderWatch(properties.id(), peers.keySet(), properties.electionTimeout(), Knock.tcp(Duration.ofMillis(100)),
                new SplittableRandom());
        this.machine = new GroupStateMachine(state -> { }, this::leaderEvent);
        this.server = RatisSetup.server(properties, peers, tls, machine);
    }

    /**
     * Starts the Raft server; {@code duties} are called from then on. A group of one waits until it
     * leads (it elects itself within two election timeouts), so that it serves as soon as it has started.
     */
    public void start(Duties duties) {
        this.duties = duties;
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the coordinator group's Raft server did not start", e);
        }
        long tick = Math.max(10, properties.lease().toMillis() / 4);
        worker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        log.info("coordinator {} started its group member at {} ({} member(s), Raft over {}, log in {})", properties.id(),
                peers.get(properties.id()).raftAddress(), peers.size(), tls ? "mutual TLS" : "plain gRPC",
                properties.dir().toAbsolutePath());
        if (peers.size() == 1) {
            long deadline = System.nanoTime() + properties.electionTimeout().multipliedBy(20).toNanos();
            while (!leadership.serves() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    public boolean started() {
        return duties != null;
    }

    public Leadership leadership() {
        return leadership;
    }

    /** The Raft server's idea of the leader, or null when it knows none. */
    public String leaderId() {
        DivisionInfo info = info();
        RaftPeerId leader = info == null ? null : info.getLeaderId();
        return leader == null ? null : leader.toString();
    }

    public String id() {
        return properties.id();
    }

    public int size() {
        return peers.size();
    }

    /** Leadership changes this member has seen (its own takeovers and its losses of the lead). */
    public long leaderChanges() {
        return leaderChanges.get();
    }

    public long term() {
        DivisionInfo info = info();
        return info == null ? 0 : info.getCurrentTerm();
    }

    /** The committed state as applied here (a follower's may lag the leader's a little). */
    public GroupState.Snapshot state() {
        return machine.current();
    }

    /**
     * Every member, as this one sees them: the leader knows when it last heard from each follower; a
     * follower knows only itself and the leader.
     */
    public List<CoordinatorStatus> members() {
        DivisionInfo info = info();
        String leader = leaderId();
        long term = term();
        Map<String, Long> contact = new HashMap<>();
        if (info != null && info.isLeader()) {
            RoleInfoProto role = info.getRoleInfoProto();
            for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
                contact.put(follower.getId().getId().toStringUtf8(), follower.getLastRpcElapsedTimeMs());
            }
        }
        List<CoordinatorStatus> members = new ArrayList<>();
        for (GroupPeer peer : peers.values().stream().sorted(Comparator.comparing(GroupPeer::id)).toList()) {
            String role;
            if (peer.id().equals(leader)) {
                role = "LEADER";
            } else if (peer.id().equals(properties.id())) {
                role = info == null ? "UNKNOWN" : info.isCandidate() ? "CANDIDATE" : "FOLLOWER";
            } else if (contact.containsKey(peer.id())) {
                role = contact.get(peer.id()) < 2 * properties.electionTimeout().toMillis() ? "FOLLOWER" : "UNKNOWN";
            } else {
                role = "UNKNOWN";
            }
            members.add(new CoordinatorStatus(peer.id(), peer.url() == null ? null : peer.url().toString(), role, term,
                    contact.get(peer.id())));
        }
        return members;
    }

    @Override
    public GroupCommand.Result submit(GroupCommand command) {
        DivisionInfo info = info();
        if (info == null || !info.isLeader()) {
            throw new GroupUnavailableException("coordinator " + properties.id() + " does not lead the group");
        }
        RaftClientReply reply;
        try {
            reply = server.submitClientRequestAsync(request(command))
                    .get(properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GroupUnavailableException("interrupted while the group committed a change");
        } catch (ExecutionException | IOException e) {
            throw new GroupUnavailableException("the group did not commit the change: " + e.getMessage());
        } catch (TimeoutException e) {
            throw new GroupUnavailableException("the group did not commit the change within " + properties.commandTimeout()
                    + " (kv.coordinator.group.command-timeout): a majority of the coordinators may be unreachable");
        }
        if (!reply.isSuccess()) {
            throw new GroupUnavailableException("the group did not commit the change: "
                    + (reply.getException() == null ? "no reason given" : reply.getException().getMessage()));
        }
        return GroupCodec.result(reply.getMessage().getContent().toByteArray());
    }

    private RaftClientRequest request(GroupCommand command) {
        return RatisSetup.write(clientId, properties.id(), callIds.incrementAndGet(), GroupCodec.command(command));
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(RatisSetup.GROUP).getInfo();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** From a Ratis thread, which must not block or fail (it may be closing the server): look soon. */
    private void leaderEvent() {
        if (closed.get()) {
            return;
        }
        try {
            worker.execute(this::checkRole);
        } catch (RejectedExecutionException e) {
            log.debug("coordinator group closing: leader event ignored");
        }
    }

    /** On the worker: takes over, renews the lease, or steps down, as the Raft server's role says. */
    private void tick() {
        try {
            checkRole();
            long term = leadership.term();
            if (term != 0 && leadership.leaseEndsWithin(properties.lease())) {
                renewLease(term);
            } else if (term == 0 && peers.size() > 1) {
                watchLeader();
            }
        } catch (RuntimeException e) {
            log.debug("coordinator group tick failed: {}", e.getMessage());
        }
    }

    private void checkRole() {
        DivisionInfo info = info();
        boolean leader = info != null && info.isLeader() && info.isLeaderReady();
        long term = info == null ? 0 : info.getCurrentTerm();
        if (leader && leadership.term() != term) {
            takeOver(term);
        } else if (!leader && leadership.term() != 0) {
            leadership.steppedDown();
            leaderChanges.incrementAndGet();
            log.warn("coordinator {} no longer leads the group (term {}, leader now {})", properties.id(), term, leaderId());
            duties.stepDown();
        }
    }

    /** A follower whose leader's process is gone starts an election now, not after the election timeout. */
    private void watchLeader() {
        DivisionInfo info = info();
        RaftPeerId leaderId = info == null || !info.isFollower() ? null : info.getLeaderId();
        GroupPeer leader = leaderId == null ? null : peers.get(leaderId.toString());
        if (leader == null || leader.id().equals(properties.id()) || !watch.watches(leader.id())) {
            return;
        }
        long silent = info.getRoleInfoProto().getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
        if (!watch.gone(leader, silent)) {
            return;
        }
        try {
            RaftServer.Division division = server.getDivision(RatisSetup.GROUP);
            StartLeaderElectionRequestProto request = RatisSetup.takeOverFrom(leaderId, properties.id(),
                    callIds.incrementAndGet(), division.getRaftLog().getLastEntryTermIndex());
            boolean started = server.startLeaderElection(request).getServerReply().getSuccess();
            log.warn("coordinator {}: leader {} silent for {} ms and refusing connections on its Raft and HTTP ports, so "
                    + "its process is gone: {}", properties.id(), leader.id(), silent,
                    started ? "starting an election now" : "could not start an election early, waiting for the timeout");
        } catch (IOException | RuntimeException e) {
            log.debug("early election not started: {}", e.getMessage());
        }
    }

    /**
     * A node refused a message for a stale term, having seen {@code seen}. Below this leader's stamp it is
     * only a late message of ours; at or above it while we lead, either we were deposed (then the commit
     * below fails: the majority that elected the next leader refuses our term) or the group lost the log
     * its terms came from and the nodes kept theirs: then the floor is raised above what they saw.
     */
    public void nodeSawTerm(long seen) {
        long term = leadership.term();
        if (term == 0 || seen < leadership.messageTerm() || closed.get() || raisingFloor.getAndSet(true)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    submit(new GroupCommand.RaiseTermFloor(seen));
                    leadership.floorRaised(term, seen);
                    log.warn("coordinator {}: a node has seen coordinator term {}, at or above this leader's (term {}): the "
                            + "group's log began afresh after the nodes' history (its directories emptied?); messages "
                            + "to nodes now carry term {}", properties.id(), seen, term, leadership.messageTerm());
                } catch (RuntimeException e) {
                    log.info("coordinator {}: term floor not raised to {}: {}", properties.id(), seen, e.getMessage());
                } finally {
                    raisingFloor.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            raisingFloor.set(false);
        }
    }

    private void takeOver(long term) {
        GroupState.Snapshot state = machine.current();
        leadership.takingOver(term, state.termFloor());
        long started = System.nanoTime();
        try {
            duties.takeOver(term, state);
            confirm(term);
        } catch (RuntimeException e) {
            log.warn("coordinator {} could not take over in term {}, trying again: {}", properties.id(), term, e.getMessage());
            leadership.steppedDown();
            return;
        }
        leadership.serving(term);
        leaderChanges.incrementAndGet();
        log.info("coordinator {} leads the group in term {} (took over in {} ms)", properties.id(), term,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Sends one confirmation without waiting for it, at most a few at a time: the lease stays valid as
     * long as each commits within the lease of its start, however slow one of them is.
     */
    private void renewLease(long term) {
        DivisionInfo info = info();
        if (renewals.get() >= MAX_RENEWALS_IN_FLIGHT || info == null || !info.isLeader()) {
            return;
        }
        long started = System.nanoTime();
        renewals.incrementAndGet();
        try {
            server.submitClientRequestAsync(request(new GroupCommand.ConfirmLeadership())).whenComplete((reply, failure) -> {
                renewals.decrementAndGet();
                if (failure == null && reply.isSuccess()) {
                    leadership.confirmed(term, started);
                }
            });
        } catch (IOException | RuntimeException e) {
            renewals.decrementAndGet();
            log.debug("lease renewal not sent: {}", e.getMessage());
        }
    }

    private void confirm(long term) {
        long started = System.nanoTime();
        submit(new GroupCommand.ConfirmLeadership());
        leadership.confirmed(term, started);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        worker.shutdownNow();
        leadership.steppedDown();
        try {
            server.close();
        } catch (IOException e) {
            log.warn("coordinator group's Raft server did not close cleanly: {}", e.getMessage());
        }
    }
}
