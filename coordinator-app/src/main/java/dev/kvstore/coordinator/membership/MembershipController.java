package dev.kvstore.coordinator.membership;

import dev.kvstore.model.NodeHeartbeat;
import dev.kvstore.model.NodeLocation;
import dev.kvstore.model.NodeRegistration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Nodes register, send heartbeats and find each other here. */
@Tag(name = "membership", description = "Node registration and heartbeats; called by the nodes.")
@RestController
public class MembershipController {

    private final Membership membership;
    private final NodeDirectory directory;

    public MembershipController(Membership membership, NodeDirectory directory) {
        this.membership = membership;
        this.directory = directory;
    }

    @Operation(summary = "Register a node", description = "A node announces its id and URL on start, and again when a "
            + "heartbeat is answered 404 (the coordinator restarted). lastRing is the newest ring the node was "
            + "given, from which a restarted coordinator rebuilds the ring.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = NodeRegistration.class), examples = @ExampleObject(value = """
                            {"id": "node-1", "url": "http://10.0.0.5:9001",
                             "lastRing": {"epoch": 3, "nodes": ["node-1", "node-2", "node-3"]}}"""))))
    @ApiResponse(responseCode = "200", description = "An id already known registered again (after a restart, "
            + "possibly with a new URL)")
    @ApiResponse(responseCode = "201", description = "A new node",
            headers = @Header(name = "Location", description = "The node's entry", schema = @Schema(type = "string",
                    example = "/nodes/node-1")))
    @ApiResponse(responseCode = "400", description = "The id or URL is missing or malformed, or the body is not "
            + "JSON")
    @ApiResponse(responseCode = "409", description = "The id is UP at another URL and the registration does not "
            + "carry that node's instance token: another process claims the id")
    @PostMapping("/nodes")
    public ResponseEntity<NodeView> register(@RequestBody NodeRegistration registration) {
        NodeRegistrations.validate(registration);
        boolean created = membership.register(registration.id(), registration.url(), registration.instanceToken(),
                registration.lastRing());
        NodeView view = directory.view(membership.member(registration.id()).orElseThrow());
        return created ? ResponseEntity.created(URI.create("/nodes/" + registration.id())).body(view)
                : ResponseEntity.ok(view);
    }

    @Operation(summary = "Heartbeat", description = "Sent by every node at kv.coordinator.heartbeat-interval, and at "
            + "once when its write-ahead log fails or heals; a node silent for kv.membership.heartbeat-timeout is marked "
            + "DOWN. The body says whether its log can make writes durable (a node that cannot is taken out of the "
            + "write path, and failed over if it still cannot after the heartbeat timeout) and whether its disk is "
            + "below the high watermark (it refuses new values with 507). No body: a node that can write.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = NodeHeartbeat.class), examples = @ExampleObject(value = """
                            {"writable": false, "notWritableReason": "its write-ahead log failed: java.io.IOException: \
                            No space left on device", "diskFull": true}"""))))
    @ApiResponse(responseCode = "204", description = "Noted")
    @ApiResponse(responseCode = "404", description = "The coordinator does not know the node (it restarted): "
            + "register again")
    @ApiResponse(responseCode = "410", description = "The node was removed from the cluster (DELETE /nodes/{id}): "
            + "stop registering until restarted")
    @PutMapping("/nodes/{id}/heartbeat")
    public ResponseEntity<Void> heartbeat(@Parameter(description = "The node's id", example = "node-1")
                                          @PathVariable String id,
                                          @RequestBody(required = false) NodeHeartbeat state) {
        return switch (membership.beat(id, state)) {
            case OK -> ResponseEntity.noContent().build();
            case UNKNOWN -> throw new UnknownNodeException(id, "register with POST /nodes first");
            case REMOVED -> throw new NodeRemovedException(id);
        };
    }

    @Operation(summary = "Where a node is now", description = "A node in doubt about a transaction finds its peer "
            + "here by id: prepares name peers by node id, and a restarted node may listen on a new address.")
    @ApiResponse(responseCode = "200", description = "The node's id, the URL it last registered and its state",
            content = @Content(schema = @Schema(implementation = NodeLocation.class), examples = @ExampleObject(
                    value = "{\"id\": \"node-2\", \"url\": \"http://10.0.0.6:9001\", \"state\": \"UP\"}")))
    @ApiResponse(responseCode = "404", description = "No node with this id is registered (it may register later, "
            + "e.g. after a coordinator restart)")
    @ApiResponse(responseCode = "410", description = "The node was removed from the cluster (DELETE /nodes/{id}): it "
            + "will not answer for its transactions again; an operator settles them (POST /nodes/{id}/transactions/{txId})")
    @GetMapping("/internal/nodes/{id}")
    public NodeLocation locate(@Parameter(description = "The node's id", example = "node-2") @PathVariable String id) {
        return membership.member(id)
                .map(member -> new NodeLocation(member.id(), member.url(), member.state().name()))
                .orElseThrow(() -> membership.isRemoved(id)
                        ? new NodeRemovedException(id, "it will not answer for its transactions again; settle the "
                                + "ones in doubt with POST /nodes/{nodeId}/transactions/{txId}")
                        : new UnknownNodeException(id, "it may register later"));
    }
}
