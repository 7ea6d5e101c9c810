package dev.kvstore.coordinator.group;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * {@link GroupState} as a Ratis state machine: each committed log entry is one {@link GroupCommand},
 * applied in order; a snapshot is the state as JSON in one file named by its term and index (Ratis
 * installs it on a member too far behind, and purges the log up to it); a read-only query answers the
 * whole state. After every apply, and after loading a snapshot, the new state goes to the listener.
 */
public final class GroupStateMachine extends BaseStateMachine {

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Consumer<GroupState.Snapshot> listener;
    private final Runnable leaderEvents;
    private GroupState state = new GroupState();
    private volatile GroupState.Snapshot current = GroupState.Snapshot.EMPTY;

    /** @param listener told of every new state, on Ratis's apply thread; it must not block */
    public GroupStateMachine(Consumer<GroupState.Snapshot> listener) {
        this(listener, () -> { });
    }

    /**
     * @param leaderEvents told, on a Ratis thread (it must not block), when this member became a leader
     *                     ready to serve (every entry of earlier terms applied here) and when the leader
     *                     changed; it reads the division's role and term itself
     */
    public GroupStateMachine(Consumer<GroupState.Snapshot> listener, Runnable leaderEvents) {
        this.listener = listener;
        this.leaderEvents = leaderEvents;
    }

    @Override
    public void notifyLeaderReady() {
        leaderEvents.run();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
        leaderEvents.run();
    }

    /** The state as of the last entry applied here (a follower's may lag the leader's). */
    public GroupState.Snapshot current() {
        return current;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            loadLatestSnapshot();
        }, IOException.class);
    }

    /** Ratis pauses the machine before it installs a snapshot from the leader, then calls {@link #reinitialize}. */
    @Override
    public synchronized void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Loads the snapshot the leader installed, and runs again. */
    @Override
    public synchronized void reinitialize() throws IOException {
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private synchronized void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), md5);
        }
        state = GroupState.restore(GroupCodec.snapshot(Files.readAllBytes(file)));
        updateLastAppliedTermIndex(snapshot.getTermIndex());
        publish();
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null) {
            return -1;
        }
        File target = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        // Written aside and renamed, so a crash never leaves a half-written file under a snapshot's name.
        Path partial = target.toPath().resolveSibling(target.getName() + ".partial");
        Files.write(partial, GroupCodec.snapshot(current));
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), applied));
        return applied.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        var entry = transaction.getLogEntry();
        GroupCommand command = GroupCodec.command(entry.getStateMachineLogEntry().getLogData().toByteArray());
        GroupCommand.Result result;
        synchronized (this) {
            result = state.apply(command);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            publish();
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(GroupCodec.result(result))));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(GroupCodec.snapshot(current))));
    }

    private void publish() {
        current = state.snapshot();
        listener.accept(current);
    }
}
