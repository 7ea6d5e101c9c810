package dev.kvstore.coordinator.group;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A follower's watch on its leader: notices that the leader's process is gone without waiting out the
 * election timeout. Silence alone is suspicion (the leader may be paused or cut off, and then the
 * election timeout is the rule); a refused connection is proof, because the kernel refuses only when
 * nothing listens. So once the leader has been silent for a while, the follower knocks on its Raft port
 * and on its HTTP port, and then once more on the Raft port: refused all three times, the leader can
 * neither lead nor answer a client (no stale read is possible from it), and an election may start at
 * once.
 *
 * <p>Only one follower watches: the first in name order of the members other than the leader. Two
 * followers that noticed together would both start an election at once and split the vote, which costs
 * an ordinary election timeout and more. If the watching follower is gone as well, or its log is behind
 * the others', the election timeout elects a leader as before. The silence waited for is drawn anew after
 * every knock, between half and three quarters of the election timeout.
 */
final class LeaderWatch {

    private final String self;
    private final List<String> members;
    private final long electionMillis;
    private final Knock knock;
    private final RandomGenerator random;
    private long patienceMillis;

    LeaderWatch(String self, Collection<String> members, Duration electionTimeout, Knock knock, RandomGenerator random) {
        this.self = self;
        this.members = members.stream().sorted().toList();
        this.electionMillis = electionTimeout.toMillis();
        this.knock = knock;
        this.random = random;
        this.patienceMillis = nextPatience();
    }

    /**
     * Whether {@code leader}, silent to this follower for {@code silentMillis}, is gone: silent for longer
     * than this watch's patience and refusing connections on both its ports.
     */
    boolean gone(GroupPeer leader, long silentMillis) {
        if (silentMillis < patienceMillis || leader.url() == null || !watches(leader.id())) {
            return false;
        }
        patienceMillis = nextPatience();
        return knock.refused(leader.raftHost(), leader.raftPort()) && knock.refused(leader.url().getHost(), port(leader.url()))
                && knock.refused(leader.raftHost(), leader.raftPort());
    }

    /** Whether this member is the one that watches {@code leader}. */
    boolean watches(String leader) {
        return members.stream().filter(m -> !m.equals(leader)).findFirst().map(self::equals).orElse(false);
    }

    long patienceMillis() {
        return patienceMillis;
    }

    private long nextPatience() {
        return electionMillis / 2 + random.nextLong(Math.max(1, electionMillis / 4));
    }

    private static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }
}
