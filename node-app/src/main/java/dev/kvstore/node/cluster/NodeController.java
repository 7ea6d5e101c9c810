package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeInfo;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.Participant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The node describing itself. */
@RestController
public class NodeController {

    private final Registrar registrar;
    private final Participant participant;

    public NodeController(Registrar registrar, Participant participant) {
        this.registrar = registrar;
        this.participant = participant;
    }

    @GetMapping("/internal/node")
    public NodeInfo info() {
        NodeRegistration self = registrar.self();
        return new NodeInfo(self == null ? null : self.id(), self == null ? null : self.url(),
                participant.tables().size(Table.OWN), participant.tables().size(Table.PREV),
                participant.inDoubt(), participant.log().isWritable(),
                registrar.state() == Registrar.State.REGISTERED);
    }
}
