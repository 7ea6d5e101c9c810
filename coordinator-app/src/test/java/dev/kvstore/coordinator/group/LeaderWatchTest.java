package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderWatchTest {

    private static final GroupPeer LEADER = new GroupPeer("coordinator-2", "10.0.0.2:9180", URI.create("http://10.0.0.2:8080"));
    private static final Duration ELECTION = Duration.ofMillis(500);

    private final List<String> knocks = new ArrayList<>();

    private LeaderWatch watch(Set<String> refusing) {
        return watch("coordinator-1", refusing);
    }

    private LeaderWatch watch(String self, Set<String> refusing) {
        return new LeaderWatch(self, List.of("coordinator-3", "coordinator-2", "coordinator-1"), ELECTION, (host, port) -> {
            knocks.add(host + ":" + port);
            return refusing.contains(host + ":" + port);
        }, new Random(7));
    }

    @Test
    void aLeaderSilentForLessThanHalfTheElectionTimeoutIsNotEvenKnockedOn() {
        LeaderWatch watch = watch(Set.of("10.0.0.2:9180", "10.0.0.2:8080"));

        assertThat(watch.gone(LEADER, 249)).isFalse();
        assertThat(knocks).isEmpty();
    }

    @Test
    void aSilentLeaderWhoseRaftAndHttpPortsBothRefuseTwiceIsGone() {
        LeaderWatch watch = watch(Set.of("10.0.0.2:9180", "10.0.0.2:8080"));

        assertThat(watch.gone(LEADER, 375)).isTrue();
        assertThat(knocks).containsExactly("10.0.0.2:9180", "10.0.0.2:8080", "10.0.0.2:9180");
    }

    @Test
    void aLeaderThatStillAcceptsOnEitherPortIsNotGoneWhateverItsSilence() {
        assertThat(watch(Set.of("10.0.0.2:9180")).gone(LEADER, 10_000)).as("HTTP still listens: it may serve").isFalse();
        assertThat(watch(Set.of("10.0.0.2:8080")).gone(LEADER, 10_000)).as("Raft still listens: paused or cut off")
                .isFalse();
    }

    @Test
    void onlyTheFirstFollowerInNameOrderWatchesSoThatTwoNeverSplitTheVote() {
        Set<String> refusing = Set.of("10.0.0.2:9180", "10.0.0.2:8080");

        assertThat(watch("coordinator-3", refusing).gone(LEADER, 10_000)).isFalse();
        assertThat(knocks).isEmpty();
        assertThat(watch("coordinator-1", refusing).gone(LEADER, 10_000)).isTrue();
        assertThat(watch("coordinator-2", Set.of()).watches("coordinator-1")).as("with coordinator-1 leading").isTrue();
    }

    @Test
    void patienceIsDrawnAnewAfterEveryKnockBetweenHalfAndThreeQuartersOfTheElectionTimeout() {
        LeaderWatch watch = watch(Set.of());
        List<Long> drawn = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            drawn.add(watch.patienceMillis());
            watch.gone(LEADER, 10_000);
        }
        assertThat(drawn).allSatisfy(p -> assertThat(p).isBetween(250L, 374L));
        assertThat(drawn.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void theRealKnockTellsARefusedPortFromOneThatListens() throws IOException {
        Knock knock = Knock.tcp(Duration.ofMillis(200));
        int closed;
        try (ServerSocket listening = new ServerSocket(0)) {
            assertThat(knock.refused("127.0.0.1", listening.getLocalPort())).isFalse();
            closed = listening.getLocalPort();
        }
        assertThat(knock.refused("127.0.0.1", closed)).isTrue();
    }
}
