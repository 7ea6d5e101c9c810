package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnMessage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/** The app's CBOR mapper, the one both sides of the node protocol use, writes batches with the module. */
class NodeProtocolConfigurationTest {

    @Test
    void theAutoConfiguredCborMapperLeavesOutNullFieldsAsTheModuleDoes() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withUserConfiguration(NodeProtocolConfiguration.class)
                .run(context -> {
                    CBORMapper cbor = context.getBean(CBORMapper.class);
                    JsonNode message = cbor.readTree(cbor.writeValueAsBytes(new TxnBatch(List.of(
                            TxnMessage.abort("t1"))))).get("messages").get(0);

                    assertThat(message.propertyNames()).containsExactly("txId", "kind");
                });
    }
}
