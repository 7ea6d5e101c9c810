package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeInfo;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.Participant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node describing itself. */
@Tag(name = "internal: node")
@RestController
public class NodeController {

    private final Registrar registrar;
    private final Participant participant;
    private final RingStore ring;

    public NodeController(Registrar registrar, Participant participant, RingStore ring) {
        this.registrar = registrar;
        this.participant = participant;
        this.ring = ring;
    }

    @Operation(summary = "Keep the ring the coordinator published", description = "204. The node keeps the ring with the highest epoch it was given (an older one is ignored) and reports it when it registers, so a restarted coordinator rebuilds the same ring.")
    @PutMapping("/internal/ring")
    public ResponseEntity<Void> ring(@RequestBody RingView view) {
        if (view == null || view.epoch() <= 0) {
            throw new InvalidRingException("a ring needs a positive epoch and its member ids");
        }
        ring.update(view);
        return ResponseEntity.noContent().build();
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
