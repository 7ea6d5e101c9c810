package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.group.GroupServer;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.Key;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The operator's view of the cluster, and graceful removal of a node. */
@Tag(name = "nodes", description = "The operator's view of the cluster, and graceful removal of a node.")
@RestController
public class ClusterController {

    private final Membership membership;
    private final NodeDirectory directory;
    private final MigrationProgress migration;
    private final RingHolder ring;
    private final GroupServer group;

    public ClusterController(Membership membership, NodeDirectory directory, MigrationProgress migration,
                             RingHolder ring, GroupServer group) {
        this.group = group;
        this.membership = membership;
        this.ring = ring;
        this.directory = directory;
        this.migration = migration;
    }

    @Operation(summary = "List nodes", description = "Every node with its state (UP, JOINING, LEAVING, DOWN), how long ago it was last heard from, its share of the ring, and key counts (asked from each live node); how many ring ranges have two, one or no live copies; the migration in progress, with keys moved and to move; and the coordinators with their roles (LEADER, FOLLOWER, CANDIDATE, UNKNOWN) and the group's term. Ring positions only with positions=true.")
    @ApiResponse(responseCode = "200", description = "The cluster", content = @Content(schema = @Schema(implementation = ClusterView.class), examples = @ExampleObject(value = """
            {"nodes": [
              {"id": "node-1", "url": "http://10.0.0.5:9001", "state": "UP", "lastHeartbeat": "2025-06-10T09:15:02.417Z",
               "heartbeatAgeMillis": 412, "ringShare": 0.334, "ownKeys": 33410, "prevKeys": 33102},
              {"id": "node-2", "url": "http://10.0.0.6:9001", "state": "UP", "lastHeartbeat": "2025-06-10T09:15:02.101Z",
               "heartbeatAgeMillis": 728, "ringShare": 0.331, "ownKeys": 33102, "prevKeys": 33488},
              {"id": "node-3", "url": "http://10.0.0.7:9001", "state": "DOWN", "lastHeartbeat": "2025-06-10T09:14:57.950Z",
               "heartbeatAgeMillis": 4879, "ringShare": 0.335, "ownKeys": null, "prevKeys": null}],
             "ranges": {"formed": true, "ranges": 1536, "twoCopies": 1024, "oneCopy": 512, "noCopy": 0},
             "migration": {"change": "node-3 down", "phase": "copying", "keysToMove": 66900, "keysMoved": 21000,
                           "startedAt": "2025-06-10T09:15:00.950Z", "lastError": null},
             "coordinators": [
              {"id": "coordinator-1", "url": "http://10.0.0.2:8080", "role": "LEADER", "term": 7, "lastContactMillis": null},
              {"id": "coordinator-2", "url": "http://10.0.0.3:8080", "role": "FOLLOWER", "term": 7, "lastContactMillis": 48},
              {"id": "coordinator-3", "url": "http://10.0.0.4:8080", "role": "FOLLOWER", "term": 7, "lastContactMillis": 51}]}""")))
    @GetMapping("/nodes")
    public ClusterView nodes(@Parameter(description = "Also list each node's ring positions (kv.membership.virtual-nodes per node)")
                             @RequestParam(defaultValue = "false") boolean positions) {
        String here = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        // A group of one is told no URL of its own: it is the one answering.
        List<GroupServer.CoordinatorStatus> coordinators = group.members().stream()
                .map(m -> m.url() != null ? m : new GroupServer.CoordinatorStatus(m.id(), here, m.role(), m.term(),
                        m.lastContactMillis()))
                .toList();
        return new ClusterView(directory.views(positions), directory.coverage(), migration.status(), coordinators);
    }

    /** Where a key lives now. */
    public record Placement(String key, long hash, List<String> nodes) {
    }

    @Operation(summary = "Where a key is stored", description = "The key's ring hash and its preference list: the primary (own table) first, then the replica (prev table); empty until the ring is formed.")
    @ApiResponse(responseCode = "200", description = "The key's placement", content = @Content(schema = @Schema(implementation = Placement.class),
            examples = @ExampleObject(value = """
                    {"key": "app/db/url", "hash": -1665917557145683768, "nodes": ["node-2", "node-3"]}""")))
    @ApiResponse(responseCode = "400", description = "The key parameter is missing, empty or longer than 1024 bytes")
    @GetMapping("/nodes/placement")
    public Placement placement(@Parameter(description = "The key, slashes allowed", example = "app/db/url")
                               @RequestParam String key) {
        Key k = Key.of(key);
        return new Placement(k.text(), k.hash(), ring.current().preferenceList(k.hash(), HashRing.REPLICAS));
    }

    @Operation(summary = "Remove a node gracefully", description = "The node's data is moved to the nodes that take over its ranges, then it leaves the ring and the table (watch GET /nodes); stop its process afterwards.")
    @ApiResponse(responseCode = "202", description = "The removal has started")
    @ApiResponse(responseCode = "404", description = "No node has this id")
    @DeleteMapping("/nodes/{id}")
    public ResponseEntity<Void> remove(@Parameter(description = "The node's id", example = "node-3")
                                       @PathVariable String id) {
        if (!membership.markLeaving(id)) {
            throw new UnknownNodeException(id, "GET /nodes lists the nodes");
        }
        return ResponseEntity.accepted().build();
    }
}
