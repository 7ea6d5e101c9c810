package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Nodes in doubt ask here for the outcome of a transaction. */
@Tag(name = "internal: transactions", description = "Called by nodes; not for clients.")
@RestController
public class TxnController {

    private final TxnRegistry registry;

    public TxnController(TxnRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "Outcome of a transaction", description = "PREPARED while in flight, COMMITTED (with version) or ABORTED once decided, UNKNOWN when this coordinator does not drive it (a node may then presume abort unless a peer committed).")
    @GetMapping("/internal/txn/{txId}")
    public TxnStatus status(@PathVariable String txId) {
        return registry.status(txId);
    }
}
