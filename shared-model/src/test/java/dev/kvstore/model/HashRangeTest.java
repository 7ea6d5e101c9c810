package dev.kvstore.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashRangeTest {

    @Test
    void plainArcExcludesItsStartAndIncludesItsEnd() {
        HashRange arc = new HashRange(10, 20);

        assertThat(arc.contains(10)).isFalse();
        assertThat(arc.contains(11)).isTrue();
        assertThat(arc.contains(20)).isTrue();
        assertThat(arc.contains(21)).isFalse();
    }

    @Test
    void arcPastTheLargestLongWrapsAround() {
        HashRange arc = new HashRange(Long.MAX_VALUE - 1, Long.MIN_VALUE + 1);

        assertThat(arc.contains(Long.MAX_VALUE)).isTrue();
        assertThat(arc.contains(Long.MIN_VALUE)).isTrue();
        assertThat(arc.contains(Long.MIN_VALUE + 1)).isTrue();
        assertThat(arc.contains(Long.MIN_VALUE + 2)).isFalse();
        assertThat(arc.contains(Long.MAX_VALUE - 1)).isFalse();
        assertThat(arc.contains(0)).isFalse();
    }

    @Test
    void equalEndsAreTheWholeCircle() {
        HashRange all = new HashRange(5, 5);

        assertThat(all.contains(5)).isTrue();
        assertThat(all.contains(Long.MIN_VALUE)).isTrue();
    }
}
