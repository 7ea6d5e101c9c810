package dev.kvstore.node;

import dev.kvstore.node.migration.RangeMigration;
import dev.kvstore.node.participant.DecisionTransport;
import dev.kvstore.node.participant.InDoubtResolver;
import dev.kvstore.node.participant.Participant;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.participant.PrepareValidator;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.Tables;
import dev.kvstore.node.snapshot.Snapshots;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.node.wal.WalOptions;
import dev.kvstore.node.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** One node's core wired as {@code NodeConfiguration} wires it, without Spring: for tests that restart nodes. */
public record TestNode(Replica replica, WriteAheadLog log, Participant participant, InDoubtResolver resolver,
                       RangeMigration ranges, Snapshots snapshots) implements AutoCloseable {

    /** Opens (or reopens, as after kill -9 when the old one is never closed) the node whose log is in {@code dir}. */
    public static TestNode open(String nodeId, Path dir, WalOptions walOptions, Disk disk, ParticipantOptions options,
                                Clock clock, DecisionTransport transport) throws IOException {
        Replica replica = Replica.open(nodeId, dir, walOptions, disk, clock);
        WriteAheadLog log = replica.log();
        Participant participant = new Participant(replica, log, options, clock);
        return new TestNode(replica, log, participant,
                new InDoubtResolver(participant, replica, transport, options.decisionTimeout(), clock),
                new RangeMigration(replica, log, new PrepareValidator(options.maxValueBytes()), walOptions.maxRecordBytes()),
                new Snapshots(replica, log, clock, options.tombstoneRetention()));
    }

    public Tables tables() {
        return replica.tables();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
