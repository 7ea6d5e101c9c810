package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadNodeWatchTest {

    private final Membership membership = new Membership(new MutableClock(), Duration.ofSeconds(3));
    private final List<String> knocked = new ArrayList<>();

    private DeadNodeWatch watch(boolean secondKnockRefused) {
        return new DeadNodeWatch(membership, (host, port) -> {
            knocked.add(host + ":" + port);
            return secondKnockRefused;
        }, Runnable::run);
    }

    @Test
    void aNodeThatRefusesACallAndThenAKnockIsDownAtOnce() {
        membership.register("n1", "http://10.0.0.1:9001");
        membership.register("n2", "http://10.0.0.2:9001");

        watch(true).refused(URI.create("http://10.0.0.1:9001/internal/txn/batch?term=3"));

        assertThat(knocked).containsExactly("10.0.0.1:9001");
        assertThat(membership.live()).containsExactly("n2");
    }

    @Test
    void aNodeThatAcceptsTheKnockStaysUpForItsSilenceToDecide() {
        membership.register("n1", "http://10.0.0.1:9001");

        watch(false).refused(URI.create("http://10.0.0.1:9001/internal/kv"));

        assertThat(membership.live()).containsExactly("n1");
    }

    @Test
    void aRefusalFromNoUpNodesAddressIsNotEvenConfirmed() {
        membership.register("n1", "http://10.0.0.1:9001");

        watch(true).refused(URI.create("http://10.0.0.1:9002/internal/kv"));
        watch(true).refused(URI.create("http://10.0.0.9:9001/internal/kv"));

        assertThat(knocked).isEmpty();
        assertThat(membership.live()).containsExactly("n1");
    }

    @Test
    void aRefusalAtAnAddressTheNodeHasNotConfirmedSinceTheTakeoverProvesNothingUntilItDoes() {
        membership.restore(new dev.kvstore.coordinator.group.GroupState.Snapshot(List.of(
                new dev.kvstore.coordinator.group.GroupState.Registration("n1", "http://10.0.0.1:9001", null, true, false)),
                List.of(), new dev.kvstore.model.RingView(0, List.of()), null, 0L));

        watch(true).refused(URI.create("http://10.0.0.1:9001/internal/kv"));

        assertThat(knocked).as("the node may listen elsewhere since the restart").isEmpty();
        assertThat(membership.live()).containsExactly("n1");

        membership.heartbeat("n1");
        watch(true).refused(URI.create("http://10.0.0.1:9001/internal/kv"));

        assertThat(membership.live()).as("heard from at that address since").isEmpty();
    }
}
