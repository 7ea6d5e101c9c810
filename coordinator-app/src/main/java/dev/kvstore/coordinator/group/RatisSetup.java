package dev.kvstore.coordinator.group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ProtoUtils;
import org.apache.ratis.util.TimeDuration;

/** How this coordinator's Ratis server is built and what it is asked: the Ratis API in one place. */
final class RatisSetup {

    /** The one group every coordinator belongs to. */
    static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("kvstore-coordinators".getBytes()));

    private RatisSetup() {
    }

    /** The server for {@code properties.id()} among {@code peers}, over mutual TLS when {@code tls} is given. */
    static RaftServer server(GroupProperties properties, Map<String, GroupPeer> peers, GroupServer.Tls tls,
                             StateMachine machine) {
        try {
            Files.createDirectories(properties.dir());
            List<RaftPeer> raftPeers = peers.values().stream()
                    .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.raftAddress()).build())
                    .toList();
            Parameters parameters = new Parameters();
            if (tls != null) {
                GrpcTlsConfig config = new GrpcTlsConfig(tls.keys(), tls.trust(), true);
                GrpcConfigKeys.Server.setTlsConf(parameters, config);
                GrpcConfigKeys.Client.setTlsConf(parameters, config);
                GrpcConfigKeys.Admin.setTlsConf(parameters, config);
                GrpcConfigKeys.TLS.setConf(parameters, config);
            }
            return RaftServer.newBuilder()
                    .setParameters(parameters)
                    .setServerId(RaftPeerId.valueOf(properties.id()))
                    .setGroup(RaftGroup.valueOf(GROUP, raftPeers))
                    .setProperties(raftProperties(properties, peers.size(), peers.get(properties.id()).raftPort()))
                    .setStateMachine(machine)
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RaftProperties raftProperties(GroupProperties properties, int members, int port) {
        RaftProperties raft = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(raft, List.of(properties.dir().toFile()));
        GrpcConfigKeys.Server.setPort(raft, port);
        long election = properties.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(raft, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(raft, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
        // A group of one has nobody to wait for: it elects itself at once instead of after a timeout.
        if (members == 1) {
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(raft, TimeDuration.valueOf(10, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(raft, TimeDuration.valueOf(20, TimeUnit.MILLISECONDS));
        }
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(raft, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(raft, properties.snapshotEvery());
        // Purged only up to what every follower holds, not up to the snapshot: a member that restarted a moment
        // before a snapshot then catches up from the log instead of needing the snapshot installed (which Ratis
        // before 3.3.0 could not do there: "Previous TermIndex not found", RATIS-2487).
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(raft, false);
        return raft;
    }

    /** A command submitted by the leader to its own division. */
    static RaftClientRequest write(ClientId client, String self, long callId, byte[] command) {
        return RaftClientRequest.newBuilder()
                .setClientId(client)
                .setServerId(RaftPeerId.valueOf(self))
                .setGroupId(GROUP)
                .setCallId(callId)
                .setMessage(Message.valueOf(ByteString.copyFrom(command)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
    }

    /**
     * Asks this follower to start an election at once, as a leader handing over asks (Ratis's leadership
     * transfer), in the name of a leader whose process is gone: with this follower's own last entry, which
     * Ratis accepts only when it is of the current term, and an election that skips the pre-vote, whose
     * voters would still trust the dead leader for a while.
     */
    static StartLeaderElectionRequestProto takeOverFrom(RaftPeerId leader, String self, long callId, TermIndex last) {
        return StartLeaderElectionRequestProto.newBuilder()
                .setServerRequest(RaftRpcRequestProto.newBuilder()
                        .setRequestorId(leader.toByteString())
                        .setReplyId(RaftPeerId.valueOf(self).toByteString())
                        .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(GROUP))
                        .setCallId(callId))
                .setLeaderLastEntry((last == null ? TermIndex.INITIAL_VALUE : last).toProto())
                .build();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
