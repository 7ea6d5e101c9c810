package dev.kvstore.coordinator.txn;

import dev.kvstore.coordinator.config.NodeHttpClients;
import dev.kvstore.coordinator.nodeclient.HttpNodeTransport;
import dev.kvstore.coordinator.nodeclient.NodeCallHooks;
import dev.kvstore.model.codec.NodeProtocolModule;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/** The production HTTP client to nodes, with half-second timeouts, for tests against fake nodes. */
final class NodeHttpFixture {

    private NodeHttpFixture() {
    }

    static HttpNodeTransport client() {
        return new HttpNodeTransport(NodeHttpClients.client(Duration.ofMillis(500), Duration.ofMillis(500), null),
                NodeCallHooks.NONE, CBORMapper.builder().addModule(new NodeProtocolModule()).build(), new JsonMapper());
    }
}
