package dev.kvstore.web;

import dev.kvstore.model.codec.NodeProtocolModule;
import org.springframework.boot.jackson.autoconfigure.CborMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The CBOR mapper both apps use between coordinator and nodes encodes the two-phase-commit batch with
 * {@link NodeProtocolModule} (the documents stay the ones reflection makes). Imported by each app.
 */
@Configuration(proxyBeanMethods = false)
public class NodeProtocolConfiguration {

    @Bean
    CborMapperBuilderCustomizer nodeProtocolCodec() {
        return builder -> builder.addModule(new NodeProtocolModule());
    }
}
