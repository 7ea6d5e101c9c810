package dev.kvstore.coordinator.membership;

import dev.kvstore.model.NodeRegistration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Nodes register and send heartbeats here. */
@Tag(name = "nodes", description = "Cluster membership.")
@RestController
public class MembershipController {

    private final Membership membership;
    private final NodeDirectory directory;

    public MembershipController(Membership membership, NodeDirectory directory) {
        this.membership = membership;
        this.directory = directory;
    }

    @Operation(summary = "Register a node", description = "201 for a new node, 200 when an existing id registers again (after a restart, with possibly a new URL).")
    @PostMapping("/nodes")
    public ResponseEntity<NodeView> register(@RequestBody NodeRegistration registration) {
        NodeRegistrations.validate(registration);
        boolean created = membership.register(registration.id(), registration.url(), registration.lastRing());
        NodeView view = directory.view(membership.member(registration.id()).orElseThrow());
        return created ? ResponseEntity.created(URI.create("/nodes/" + registration.id())).body(view)
                : ResponseEntity.ok(view);
    }

    @Operation(summary = "Heartbeat", description = "204; 404 when the coordinator does not know the node, which must then register again; 410 when the node was removed from the cluster (DELETE /nodes/{id}), which must then stop registering.")
    @PutMapping("/nodes/{id}/heartbeat")
    public ResponseEntity<Void> heartbeat(@PathVariable String id) {
        return switch (membership.beat(id)) {
            case OK -> ResponseEntity.noContent().build();
            case UNKNOWN -> throw new UnknownNodeException(id, "register with POST /nodes first");
            case REMOVED -> throw new NodeRemovedException(id);
        };
    }
}
