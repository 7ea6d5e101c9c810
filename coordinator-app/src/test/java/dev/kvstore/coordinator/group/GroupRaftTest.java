package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.kvstore.coordinator.group.GroupCommand.Result;
import dev.kvstore.model.RingView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Three Ratis servers in one JVM, each on its own port and directory, running {@link GroupStateMachine}:
 * a leader is elected, commands reach every member in the same order, a member restarted from its own
 * log catches up, and a member too far behind (the leader's log purged past it) gets a snapshot.
 */
class GroupRaftTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        // Ratis narrates every election and segment at INFO; its warnings are what a failure needs.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.ratis")).setLevel(Level.WARN);
    }
    private static final int SNAPSHOT_EVERY = 32;

    @TempDir
    Path dir;

    private final List<RaftPeer> peers = new ArrayList<>();
    private final RaftGroup group;
    private final RaftServer[] servers = new RaftServer[3];
    private final GroupStateMachine[] machines = new GroupStateMachine[3];
    private RaftClient client;

    GroupRaftTest() throws IOException {
        for (int i = 0; i < 3; i++) {
            peers.add(RaftPeer.newBuilder().setId("coordinator-" + (i + 1)).setAddress("127.0.0.1:" + TestPorts.free()).build());
        }
        group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes("kvstore-test".getBytes())), peers);
    }

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        for (RaftServer server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aLeaderIsElectedAndEveryMemberAppliesTheSameCommandsInTheSameOrder() throws Exception {
        startAll();

        assertThat(send(new GroupCommand.Register("node-1", "http://127.0.0.1:9001", "t1"))).isEqualTo(new Result.Applied(true));
        assertThat(send(new GroupCommand.Register("node-1", "http://127.0.0.1:9009", "intruder")))
                .isEqualTo(new Result.Refused("node id node-1 is in use by http://127.0.0.1:9001"));
        send(new GroupCommand.PublishRing(new RingView(1, List.of("node-1"))));

        awaitAllEqual();
        assertThat(machines[0].current().ring()).isEqualTo(new RingView(1, List.of("node-1")));
        assertThat(leaders()).hasSize(1);
    }

    @Test
    void aMemberRestartedFromItsOwnLogCatchesUpWithWhatItMissed() throws Exception {
        startAll();
        send(new GroupCommand.Register("node-1", "http://127.0.0.1:9001", null));
        awaitAllEqual();
        int follower = aFollower();

        servers[follower].close();
        send(new GroupCommand.Register("node-2", "http://127.0.0.1:9002", null));
        send(new GroupCommand.PublishRing(new RingView(1, List.of("node-1", "node-2"))));
        start(follower);

        awaitAllEqual();
        assertThat(machines[follower].current().members()).hasSize(2);
    }

    @Test
    void aMemberTooFarBehindIsSentASnapshotAndRestoresFromIt() throws Exception {
        startAll();
        send(new GroupCommand.Register("node-1", "http://127.0.0.1:9001", null));
        awaitAllEqual();
        int follower = aFollower();
        servers[follower].close();

        for (int epoch = 1; epoch <= 5 * SNAPSHOT_EVERY; epoch++) {
            send(new GroupCommand.PublishRing(new RingView(epoch, List.of("node-1"))));
        }
        int leader = leaders().getFirst();
        await("the leader took a snapshot", () -> machines[leader].getLatestSnapshot() != null);
        start(follower);

        awaitAllEqual();
        assertThat(machines[follower].current().ring().epoch()).isEqualTo(5L * SNAPSHOT_EVERY);
        assertThat(machines[follower].getLatestSnapshot()).as("installed from the leader").isNotNull();
    }

    private void startAll() throws IOException {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        client = RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(group).build();
    }

    private void start(int i) throws IOException {
        RaftPeer peer = peers.get(i);
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(dir.resolve(peer.getId().toString()).toFile()));
        GrpcConfigKeys.Server.setPort(properties, Integer.parseInt(peer.getAddress().split(":")[1]));
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("4KB"));
        machines[i] = new GroupStateMachine(state -> { });
        servers[i] = RaftServer.newBuilder().setServerId(peer.getId()).setGroup(group).setProperties(properties)
                .setStateMachine(machines[i]).setOption(RaftStorage.StartupOption.RECOVER).build();
        servers[i].start();
    }

    private Result send(GroupCommand command) throws IOException {
        RaftClientReply reply = client.io().send(Message.valueOf(ByteString.copyFrom(GroupCodec.command(command))));
        assertThat(reply.isSuccess()).as("reply to %s: %s", command, reply).isTrue();
        return GroupCodec.result(reply.getMessage().getContent().toByteArray());
    }

    private List<Integer> leaders() throws IOException {
        List<Integer> leaders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (servers[i].getLifeCycleState().isRunning()
                    && servers[i].getDivision(group.getGroupId()).getInfo().isLeader()) {
                leaders.add(i);
            }
        }
        return leaders;
    }

    private int aFollower() throws IOException {
        int leader = leaders().getFirst();
        return (leader + 1) % 3;
    }

    private void awaitAllEqual() {
        await("every member applied the same state", () -> {
            GroupState.Snapshot first = machines[0].current();
            return first.equals(machines[1].current()) && first.equals(machines[2].current());
        });
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).until(condition);
    }
}
