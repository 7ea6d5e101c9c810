package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.kv.InvalidRequestException;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.membership.NodeDirectory;
import dev.kvstore.coordinator.membership.UnknownNodeException;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.KeyHash;
import dev.kvstore.model.Keys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of the cluster, and graceful removal of a node. */
@Tag(name = "nodes", description = "Cluster membership.")
@RestController
public class ClusterController {

    private final Membership membership;
    private final NodeDirectory directory;
    private final Rebalancer rebalancer;
    private final RingHolder ring;

    public ClusterController(Membership membership, NodeDirectory directory, Rebalancer rebalancer, RingHolder ring) {
        this.membership = membership;
        this.ring = ring;
        this.directory = directory;
        this.rebalancer = rebalancer;
    }

    @Operation(summary = "List nodes", description = "Every node with its state (UP, JOINING, LEAVING, DOWN), ring positions and share, and key counts (asked from each live node); how many ring ranges have two, one or no live copies; and the migration in progress, with keys moved and to move.")
    @GetMapping("/nodes")
    public ClusterView nodes() {
        return new ClusterView(directory.views(), directory.coverage(), rebalancer.status());
    }

    /** Where a key lives now. */
    public record Placement(String key, long hash, List<String> nodes) {
    }

    @Operation(summary = "Where a key is stored", description = "The key's ring hash and its preference list: the primary (own table) first, then the replica (prev table).")
    @GetMapping("/nodes/placement")
    public Placement placement(@RequestParam String key) {
        if (Keys.problem(key) != null) {
            throw new InvalidRequestException(Keys.problem(key));
        }
        return new Placement(key, KeyHash.of(key), ring.current().preferenceList(key, MigrationPlanner.REPLICAS));
    }

    @Operation(summary = "Remove a node gracefully", description = "202: the node's data is moved to the nodes that take over its ranges, then it leaves the ring and the table (watch GET /nodes); stop its process afterwards. 404 for an unknown node.")
    @DeleteMapping("/nodes/{id}")
    public ResponseEntity<Void> remove(@PathVariable String id) {
        if (!membership.markLeaving(id)) {
            throw new UnknownNodeException(id, "GET /nodes lists the nodes");
        }
        return ResponseEntity.accepted().build();
    }
}
