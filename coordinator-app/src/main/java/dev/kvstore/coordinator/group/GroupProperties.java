package dev.kvstore.coordinator.group;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The coordinator group ({@code kv.coordinator.group.*}).
 *
 * @param id              this coordinator's name in the group
 * @param peers           every member, this one included, as {@code id=host:raftPort=url}; empty for a
 *                        group of one (this coordinator alone)
 * @param raftPort        a group of one's Raft port (0: any free port); with peers, this member's entry
 *                        gives it
 * @param dir             where the Raft log and snapshots live: the membership, the ring and the
 *                        group's term survive a restart here (a group started empty begins again at
 *                        term 1, which nodes that saw a later term refuse)
 * @param electionTimeout a follower that hears nothing from the leader for between this and twice this
 *                        starts an election; also bounds the leader's lease
 * @param commandTimeout  the longest the leader waits for a change to commit before answering 503
 * @param forwardTimeout  the longest a follower waits for the leader's answer to a request it forwarded
 *                        (then 504); below the clients' own timeout (the Java client's is 30 s)
 * @param snapshotEvery   log entries between snapshots (the log is purged up to each)
 */
@ConfigurationProperties("kv.coordinator.group")
public record GroupProperties(@DefaultValue("coordinator-1") String id,
                              @DefaultValue List<String> peers,
                              @DefaultValue("0") int raftPort,
                              @DefaultValue("data/coordinator") Path dir,
                              @DefaultValue("500ms") Duration electionTimeout,
                              @DefaultValue("5s") Duration commandTimeout,
                              @DefaultValue("10s") Duration forwardTimeout,
                              @DefaultValue("1024") long snapshotEvery) {

    /** The members; a group of one has the single member {@code id} (its address is filled in at start). */
    public List<GroupPeer> members() {
        List<GroupPeer> members = peers.stream().map(GroupPeer::parse).toList();
        if (!members.isEmpty() && members.stream().noneMatch(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("kv.coordinator.group.peers does not list this coordinator's id '" + id
                    + "' (kv.coordinator.group.id): " + peers);
        }
        return members;
    }

    /** Less than the election timeout: room for clock drift and for the time between a check and its use. */
    public Duration lease() {
        return electionTimeout.multipliedBy(3).dividedBy(4);
    }
}
