package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeInfo;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.Participant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The node describing itself. */
@Tag(name = "internal: node")
@RestController
public class NodeController {

    private final Registrar registrar;
    private final Participant participant;

    public NodeController(Registrar registrar, Participant participant) {
        this.registrar = registrar;
        this.participant = participant;
    }

    @Operation(summary = "This node: id, URL, key counts, transactions in doubt, log health, registration")
    @GetMapping("/internal/node")
    public NodeInfo info() {
        NodeRegistration self = registrar.self();
        return new NodeInfo(self == null ? null : self.id(), self == null ? null : self.url(),
                participant.tables().size(Table.OWN), participant.tables().size(Table.PREV),
                participant.inDoubt(), participant.log().isWritable(),
                registrar.state() == Registrar.State.REGISTERED);
    }
}
