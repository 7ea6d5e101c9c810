package dev.kvstore.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.NodeHeartbeat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /nodes} is readable at a glance: a compact line per node, ring positions only when asked for. */
class NodeDirectoryTest {

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final NodeDirectory directory = new NodeDirectory(membership, ring, url -> Optional.empty(), executor);

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void positionsAreListedOnlyWhenAskedForAndLeftOutOfTheJsonOtherwise() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        ring.publish(HashRing.of(List.of("a", "b"), 16));

        List<NodeView> compact = directory.views(false);
        List<NodeView> full = directory.views(true);

        assertThat(compact).extracting(NodeView::positions).containsOnlyNulls();
        assertThat(full).allSatisfy(view -> assertThat(view.positions()).hasSize(16));
        assertThat(compact).extracting(NodeView::ringShare).containsExactlyElementsOf(
                full.stream().map(NodeView::ringShare).toList());
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.writeValueAsString(compact.get(0))).doesNotContain("positions").contains("\"ringShare\"");
        assertThat(json.writeValueAsString(full.get(0))).contains("\"positions\":[");
    }

    @Test
    void eachNodeSaysHowLongAgoItWasLastHeardFrom() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        clock.advance(Duration.ofMillis(2500));
        membership.heartbeat("b");
        clock.advance(Duration.ofMillis(300));

        assertThat(directory.views(false)).extracting(NodeView::id, NodeView::heartbeatAgeMillis)
                .containsExactly(tuple("a", 2800L), tuple("b", 300L));
    }

    @Test
    void aNodeThatCannotWriteSaysWhyAndItsRangesCountAsHavingOneWritableCopy() {
        membership.register("a", "http://a");
        membership.register("b", "http://b");
        membership.register("c", "http://c");
        ring.publish(HashRing.of(List.of("a", "b", "c"), 16));
        ReplicaCoverage before = directory.coverage();
        assertThat(before.oneCopy()).isZero();

        membership.beat("b", new NodeHeartbeat(false, "its write-ahead log failed: EIO", false));

        NodeView b = directory.views(false).get(1);
        assertThat(b.state()).isEqualTo("UP");
        assertThat(b.writable()).isFalse();
        assertThat(b.notWritableReason()).isEqualTo("its write-ahead log failed: EIO");
        ReplicaCoverage after = directory.coverage();
        assertThat(after.noCopy()).isZero();
        assertThat(after.oneCopy()).as("every arc b holds a copy of").isPositive();
        assertThat(after.twoCopies() + after.oneCopy()).isEqualTo(before.twoCopies());
        assertThat(JsonMapper.builder().build().writeValueAsString(directory.views(false).get(0)))
                .as("a writable node's view leaves the reason out").doesNotContain("notWritableReason")
                .contains("\"writable\":true");
    }
}
