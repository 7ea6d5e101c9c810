package dev.kvstore.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class GroupPeerTest {

    @Test
    void aPeerIsItsIdRaftAddressAndUrl() {
        assertThat(GroupPeer.parse(" coordinator-2=kv-coordinator-1.kv-coordinator-peers:9180=https://10.0.0.7:8080/"))
                .isEqualTo(new GroupPeer("coordinator-2", "kv-coordinator-1.kv-coordinator-peers:9180",
                        URI.create("https://10.0.0.7:8080")));
    }

    @Test
    void aMalformedPeerSaysWhatTheFormIs() {
        assertThatThrownBy(() -> GroupPeer.parse("coordinator-1=http://127.0.0.1:8080"))
                .hasMessageContaining("is not id=host:raftPort=url");
        assertThatThrownBy(() -> GroupPeer.parse("coordinator-1=127.0.0.1:9180=not a url"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
