package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeInfo;
import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.term.TermStore;
import dev.kvstore.node.wal.WriteAheadLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node describing itself. */
@Tag(name = "internal: node", description = "The node itself, and the ring it keeps for the coordinator.")
@RestController
public class NodeController {

    private final Registrar registrar;
    private final Replica replica;
    private final WriteAheadLog wal;
    private final RingStore ring;
    private final TermStore terms;

    public NodeController(Registrar registrar, Replica replica, WriteAheadLog wal, RingStore ring, TermStore terms) {
        this.registrar = registrar;
        this.replica = replica;
        this.wal = wal;
        this.ring = ring;
        this.terms = terms;
    }

    @Operation(summary = "Keep the ring the coordinator published", description = "The node keeps the ring with the highest epoch it was given (an older one is ignored) in its data directory and reports it when it registers, so a restarted coordinator rebuilds the same ring.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RingView.class), examples = @ExampleObject(value = """
                            {"epoch": 4, "nodes": ["node-1", "node-2", "node-3"]}"""))))
    @ApiResponse(responseCode = "204", description = "Kept (or ignored, when older than the one held)")
    @ApiResponse(responseCode = "400", description = "The epoch is not positive, or the body is not JSON")
    @PutMapping("/internal/ring")
    public ResponseEntity<Void> ring(@RequestBody RingView view) {
        if (view == null || view.epoch() <= 0) {
            throw new InvalidRingException("a ring needs a positive epoch and its member ids");
        }
        ring.update(view);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "This node: id, URL, key counts, transactions in doubt, log health, registration, the highest coordinator term seen")
    @ApiResponse(responseCode = "200", description = "The node", content = @Content(
            schema = @Schema(implementation = NodeInfo.class), examples = @ExampleObject(value = """
                    {"id": "node-1", "url": "http://10.0.0.5:9001", "ownKeys": 33410, "prevKeys": 33102, "inDoubt": 0,
                     "walWritable": true, "registered": true, "coordinatorTerm": 7}""")))
    @GetMapping("/internal/node")
    public NodeInfo info() {
        NodeRegistration self = registrar.self();
        return new NodeInfo(self == null ? null : self.id(), self == null ? null : self.url(),
                replica.tables().size(Table.OWN), replica.tables().size(Table.PREV),
                replica.inDoubt(), wal.isWritable(),
                registrar.state() == Registrar.State.REGISTERED, terms.highest());
    }
}
