package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Nodes in doubt ask here for the outcome of a transaction. */
@Tag(name = "transactions", description = "Outcomes of transactions, for nodes left in doubt.")
@RestController
public class DecisionController {

    private final TxnRegistry registry;

    public DecisionController(TxnRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "Outcome of a transaction", description = "PREPARED while in flight, COMMITTED (with version) or ABORTED once decided, UNKNOWN when this coordinator does not drive it (a node may then presume abort unless a peer committed).")
    @ApiResponse(responseCode = "200", description = "What this coordinator knows of the transaction",
            content = @Content(schema = @Schema(implementation = TxnStatus.class), examples = @ExampleObject(value = """
                    {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "state": "COMMITTED", "version": 1718000000000001}""")))
    @GetMapping("/internal/txn/{txId}")
    public TxnStatus status(@Parameter(description = "The transaction id the prepare carried",
            example = "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90") @PathVariable String txId) {
        return registry.status(txId);
    }
}
