package dev.kvstore.coordinator.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.coordinator.ring.HashRing.VirtualNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HashRingTest {

    /** A, B, C at 100, 200, 300 and a second position of A at 400: arcs (400,100] A, (100,200] B, (200,300] C, (300,400] A. */
    private static final HashRing SMALL = HashRing.fromPositions(Map.of(100L, "A", 200L, "B", 300L, "C", 400L, "A"));

    private static final List<String> KEYS = keys(20_000);

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add("key-" + i);
        }
        return keys;
    }

    @Test
    void keyBelongsToTheFirstPositionAtOrAfterItsHash() {
        assertThat(SMALL.primary(101L)).contains("B");
        assertThat(SMALL.primary(150L)).contains("B");
        assertThat(SMALL.primary(199L)).contains("B");
        assertThat(SMALL.primary(201L)).contains("C");
        assertThat(SMALL.primary(301L)).contains("A");
        assertThat(SMALL.primary(399L)).contains("A");
    }

    @Test
    void keyExactlyOnAPositionBelongsToThatPositionsNode() {
        assertThat(SMALL.primary(100L)).contains("A");
        assertThat(SMALL.primary(200L)).contains("B");
        assertThat(SMALL.primary(300L)).contains("C");
        assertThat(SMALL.primary(400L)).contains("A");
    }

    @Test
    void keyAboveTheLargestPositionWrapsToTheSmallest() {
        HashRing ring = HashRing.fromPositions(Map.of(-50L, "low", 0L, "mid", 50L, "high"));

        assertThat(ring.primary(51L)).contains("low");
        assertThat(ring.primary(Long.MAX_VALUE)).contains("low");
        assertThat(ring.preferenceList(Long.MAX_VALUE, 2)).containsExactly("low", "mid");
        // The bottom of the signed range is just past the top on the circle, and below -50.
        assertThat(ring.primary(Long.MIN_VALUE)).contains("low");
        assertThat(ring.primary(-51L)).contains("low");
        assertThat(ring.primary(-49L)).contains("mid");
    }

    @Test
    void positionsAtTheExtremesOfTheSignedRangeAreExactBoundaries() {
        HashRing ring = HashRing.fromPositions(Map.of(Long.MIN_VALUE, "min", Long.MAX_VALUE, "max"));

        assertThat(ring.primary(Long.MIN_VALUE)).contains("min");
        assertThat(ring.primary(Long.MIN_VALUE + 1)).contains("max");
        assertThat(ring.primary(0L)).contains("max");
        assertThat(ring.primary(Long.MAX_VALUE)).contains("max");
    }

    @Test
    void replicaIsTheNextDistinctNodeClockwise() {
        assertThat(SMALL.preferenceList(150L, 2)).containsExactly("B", "C");
        assertThat(SMALL.preferenceList(250L, 2)).containsExactly("C", "A");
        assertThat(SMALL.preferenceList(50L, 2)).containsExactly("A", "B");
    }

    @Test
    void replicaSkipsFurtherPositionsOfThePrimary() {
        // A holds 100, 110 and 120 in a row: the replica of a key at 105 is B, not A again.
        HashRing ring = HashRing.fromPositions(Map.of(100L, "A", 110L, "A", 120L, "A", 200L, "B", 300L, "C"));

        assertThat(ring.preferenceList(105L, 2)).containsExactly("A", "B");
        assertThat(ring.preferenceList(105L, 3)).containsExactly("A", "B", "C");
        // Wrapping: from C's arc the walk goes past the top to A's run and on to B.
        assertThat(ring.preferenceList(250L, 3)).containsExactly("C", "A", "B");
    }

    @Test
    void preferenceListIsCappedAtTheNumberOfNodes() {
        assertThat(SMALL.preferenceList(150L, 5)).containsExactly("B", "C", "A");
        assertThat(SMALL.preferenceList(150L, 0)).isEmpty();
    }

    @Test
    void singleNodeRingPutsEveryKeyOnItWithoutAReplica() {
        HashRing ring = HashRing.of(List.of("solo"), 16);

        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.positionsOf("solo")).hasSize(16);
        for (String key : KEYS.subList(0, 1000)) {
            assertThat(ring.preferenceList(key, 2)).containsExactly("solo");
            assertThat(ring.primary(key)).contains("solo");
        }
    }

    @Test
    void emptyRingHasNoPrimaryAndAnEmptyPreferenceList() {
        for (HashRing ring : List.of(HashRing.empty(), HashRing.of(List.of(), 128), HashRing.fromPositions(Map.of()))) {
            assertThat(ring.preferenceList("k", 2)).isEmpty();
            assertThat(ring.primary("k")).isEmpty();
            assertThat(ring.nodes()).isEmpty();
            assertThat(ring.size()).isZero();
            assertThat(ring.positionsOf("A")).isEmpty();
        }
    }

    @Test
    void eachNodeGetsVirtualNodeIAtTheHashOfIdHashI() {
        HashRing ring = HashRing.of(List.of("n1", "n2"), 8);

        for (String node : List.of("n1", "n2")) {
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                expected.add(HashRing.hash(node + "#" + i));
            }
            Collections.sort(expected);
            assertThat(ring.positionsOf(node)).containsExactlyElementsOf(expected);
        }
        assertThat(ring.nodes()).containsExactly("n1", "n2");
        assertThat(ring.positionsOf("n3")).isEmpty();
    }

    @Test
    void primaryIsTheFirstEntryOfThePreferenceListForEveryKey() {
        HashRing ring = HashRing.of(List.of("a", "b", "c", "d"), 32);
        for (String key : KEYS.subList(0, 2000)) {
            List<String> list = ring.preferenceList(key, 2);
            assertThat(list).hasSize(2).doesNotHaveDuplicates();
            assertThat(ring.primary(key)).contains(list.get(0));
        }
    }

    @Test
    void ringIsTheSameWhateverTheOrderAndDuplicatesOfTheGivenNodes() {
        List<String> nodes = new ArrayList<>(List.of("node-a", "node-b", "node-c", "node-d", "node-e"));
        HashRing reference = HashRing.of(nodes, 64);
        Random random = new Random(42);
        for (int round = 0; round < 10; round++) {
            Collections.shuffle(nodes, random);
            List<String> withDuplicates = new ArrayList<>(nodes);
            withDuplicates.add(nodes.get(0));
            HashRing ring = HashRing.of(withDuplicates, 64);

            assertThat(ring.positions()).containsExactlyEntriesOf(reference.positions());
            assertThat(ring.nodes()).isEqualTo(reference.nodes());
        }
    }

    @Test
    void collidingPositionGoesToTheSmallerNodeIdWhateverTheOrder() {
        List<VirtualNode> vnodes = new ArrayList<>(List.of(
                new VirtualNode(100, "zeta"), new VirtualNode(100, "alpha"), new VirtualNode(100, "mu"),
                new VirtualNode(200, "zeta"), new VirtualNode(300, "mu")));
        Random random = new Random(7);
        for (int round = 0; round < 10; round++) {
            Collections.shuffle(vnodes, random);
            HashRing ring = HashRing.fromVirtualNodes(vnodes);

            assertThat(ring.positions()).containsExactlyEntriesOf(new TreeMap<>(Map.of(100L, "alpha", 200L, "zeta", 300L, "mu")));
            assertThat(ring.primary(100L)).contains("alpha");
        }
    }

    @Test
    void nodeThatLosesEveryPositionToCollisionsIsNotOnTheRing() {
        HashRing ring = HashRing.fromVirtualNodes(List.of(
                new VirtualNode(100, "b"), new VirtualNode(100, "a"), new VirtualNode(200, "c")));

        assertThat(ring.nodes()).containsExactly("a", "c");
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.preferenceList(150L, 3)).containsExactly("c", "a");
    }

    @Test
    void addingANodeMovesKeysOnlyOntoTheNewNode() {
        HashRing before = HashRing.of(List.of("n1", "n2", "n3"), HashRing.DEFAULT_VIRTUAL_NODES);
        HashRing after = HashRing.of(List.of("n1", "n2", "n3", "n4"), HashRing.DEFAULT_VIRTUAL_NODES);

        int moved = 0;
        for (String key : KEYS) {
            String was = before.primary(key).orElseThrow();
            String now = after.primary(key).orElseThrow();
            if (!was.equals(now)) {
                moved++;
                assertThat(now).as("new primary of %s (was %s)", key, was).isEqualTo("n4");
            }
            // Stronger: the old preference list is the new one with the newcomer taken out.
            List<String> nowWithoutNewcomer = new ArrayList<>(after.preferenceList(key, 3));
            nowWithoutNewcomer.remove("n4");
            assertThat(before.preferenceList(key, 3)).startsWith(nowWithoutNewcomer.toArray(String[]::new));
        }
        // About a quarter of the keys; proves the check above ran on real moves.
        assertThat(moved).isBetween(KEYS.size() / 8, KEYS.size() / 2);
    }

    @Test
    void removingANodeMovesOnlyThatNodesKeys() {
        HashRing before = HashRing.of(List.of("n1", "n2", "n3", "n4"), HashRing.DEFAULT_VIRTUAL_NODES);
        HashRing after = HashRing.of(List.of("n1", "n3", "n4"), HashRing.DEFAULT_VIRTUAL_NODES);

        int moved = 0;
        for (String key : KEYS) {
            String was = before.primary(key).orElseThrow();
            String now = after.primary(key).orElseThrow();
            if (was.equals("n2")) {
                moved++;
                // The key falls to the next node clockwise, which was its replica.
                assertThat(now).isEqualTo(before.preferenceList(key, 2).get(1));
            } else {
                assertThat(now).as("primary of %s", key).isEqualTo(was);
            }
        }
        assertThat(moved).isBetween(KEYS.size() / 8, KEYS.size() / 2);
    }

    @Test
    void preferenceListWithNegativeReplicasIsRejected() {
        assertThatThrownBy(() -> SMALL.preferenceList("k", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ringWithoutVirtualNodesIsRejected() {
        assertThatThrownBy(() -> HashRing.of(List.of("a"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void viewsAreUnmodifiable() {
        HashRing ring = HashRing.of(Set.of("a", "b"), 4);

        assertThatThrownBy(() -> ring.nodes().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ring.positionsOf("a").clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ring.preferenceList("k", 2).clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
