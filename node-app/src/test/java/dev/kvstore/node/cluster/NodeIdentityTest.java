package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedIdIsKeptSoARestartComesBackAsTheSameNode() throws IOException {
        String first = NodeIdentity.resolve(null, dataDir);
        String again = NodeIdentity.resolve("", dataDir);

        assertThat(first).startsWith("node-");
        assertThat(again).isEqualTo(first);
        assertThat(dataDir.resolve(NodeIdentity.FILE)).content().contains(first);
    }

    @Test
    void differentDataDirectoriesGetDifferentIds() throws IOException {
        assertThat(NodeIdentity.resolve(null, dataDir.resolve("a")))
                .isNotEqualTo(NodeIdentity.resolve(null, dataDir.resolve("b")));
    }

    @Test
    void configuredIdIsKeptAndWinsOnLaterStartsWithoutConfiguration() throws IOException {
        assertThat(NodeIdentity.resolve("node-7", dataDir)).isEqualTo("node-7");
        assertThat(NodeIdentity.resolve(null, dataDir)).isEqualTo("node-7");
    }

    @Test
    void configuredIdThatDisagreesWithTheDataDirectoryIsRefused() throws IOException {
        NodeIdentity.resolve("node-7", dataDir);

        assertThatThrownBy(() -> NodeIdentity.resolve("node-8", dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to node 'node-7'");
    }

    @Test
    void idsThatCannotTravelInAUrlPathAreRefused() {
        assertThatThrownBy(() -> NodeIdentity.resolve("a/b", dataDir)).hasMessageContaining("invalid");
        assertThatThrownBy(() -> NodeIdentity.resolve("-x", dataDir)).hasMessageContaining("invalid");
    }

    @Test
    void instanceTokenIsKeptWithTheDataSoOnlyTheSameNodeRestartedPresentsIt() throws IOException {
        String token = NodeIdentity.instanceToken(dataDir.resolve("a"));

        assertThat(NodeIdentity.instanceToken(dataDir.resolve("a"))).isEqualTo(token);
        assertThat(NodeIdentity.instanceToken(dataDir.resolve("b"))).isNotEqualTo(token);
        assertThat(token).matches("[A-Za-z0-9_-]{24}");
    }

    @Test
    void damagedInstanceTokenIsRefusedSayingHowToRecover() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(NodeIdentity.TOKEN_FILE), "not a token!\n");

        assertThatThrownBy(() -> NodeIdentity.instanceToken(dataDir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delete it");
    }
}
