package dev.kvstore.coordinator.txn;

import dev.kvstore.coordinator.config.NodeClientProperties;
import dev.kvstore.coordinator.config.NodeHttpClients;
import dev.kvstore.coordinator.nodeclient.HttpNodeTransport;
import dev.kvstore.model.codec.NodeProtocolModule;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;
import tools.jackson.dataformat.cbor.CBORMapper;

/** The production HTTP client to nodes, with half-second timeouts, for tests against fake nodes. */
final class NodeHttpFixture {

    private NodeHttpFixture() {
    }

    static HttpNodeTransport client() {
        NodeClientProperties timeouts = new NodeClientProperties(Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofSeconds(1), new NodeClientProperties.Batch(2, 256, DataSize.ofMegabytes(2), Duration.ZERO));
        return new HttpNodeTransport(RestClient.builder()
                .requestFactory(NodeHttpClients.requestFactory(timeouts, null)).build(),
                CBORMapper.builder().addModule(new NodeProtocolModule()).build());
    }
}
