package dev.kvstore.coordinator.txn;

import dev.kvstore.model.InDoubtTransaction;
import dev.kvstore.model.TxnStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of a node's transactions in doubt, and the settlement of one. */
@Tag(name = "nodes", description = "The operator's view of the cluster, and graceful removal of a node.")
@RestController
public class InDoubtController {

    private static final String NODE_ID = "The node's id";
    private static final String REMOVED = "The node was removed from the cluster (DELETE /nodes/{id})";
    private static final String UNREACHABLE = "The node could not be reached, or has not registered since this "
            + "coordinator started; nothing was done";

    private final InDoubtSettlement settlement;

    public InDoubtController(InDoubtSettlement settlement) {
        this.settlement = settlement;
    }

    @Operation(summary = "A node's transactions in doubt", description = "Every transaction the node prepared and "
            + "has not decided, oldest first: the key it holds (its writes answer 503 meanwhile), the write, its peers "
            + "and the version the node holds for the key now. A node settles these by itself unless its peer was "
            + "removed from the cluster; then it logs a WARN naming the transaction, and an operator settles it with "
            + "POST /nodes/{id}/transactions/{txId}.")
    @ApiResponse(responseCode = "200", description = "The transactions in doubt (none: an empty list)",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = InDoubtTransaction.class)),
                    examples = @ExampleObject(value = """
                            [{"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "key": "greeting", "table": "OWN", "op": "PUT",
                              "since": "2025-06-10T08:15:30Z", "peers": ["node-2"], "currentVersion": 1718000000000001}]""")))
    @ApiResponse(responseCode = "404", description = "No node has this id")
    @ApiResponse(responseCode = "410", description = REMOVED)
    @ApiResponse(responseCode = "503", description = UNREACHABLE)
    @GetMapping("/nodes/{id}/transactions")
    public List<InDoubtTransaction> inDoubt(@Parameter(description = NODE_ID, example = "node-1") @PathVariable String id) {
        return settlement.inDoubt(id);
    }

    @Operation(summary = "Settle a transaction in doubt", description = "Decides the transaction on the node as "
            + "the operator says, and frees its key. For a transaction whose peer was removed, nobody can tell any "
            + "more whether the write was acknowledged: COMMITTED applies it (with a new version, above what the node "
            + "holds), ABORTED drops it; check the key's value on its other replica (GET /kv/{key}) before choosing. "
            + "Refused when this coordinator recorded the other decision.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = Settlement.class),
                    examples = @ExampleObject(value = "{\"outcome\": \"ABORTED\"}"))))
    @ApiResponse(responseCode = "200", description = "Settled and durable on the node", content = @Content(
            schema = @Schema(implementation = TxnStatus.class), examples = @ExampleObject(value = """
                    {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "state": "COMMITTED", "version": 1718000000000002}""")))
    @ApiResponse(responseCode = "400", description = "The outcome is not COMMITTED or ABORTED, or the body is not JSON")
    @ApiResponse(responseCode = "404", description = "No node has this id, or the node holds no such transaction "
            + "in doubt (settled already, or never prepared there)")
    @ApiResponse(responseCode = "409", description = "This coordinator decided the transaction the other way, is still "
            + "deciding it, or the node decided it meanwhile")
    @ApiResponse(responseCode = "410", description = REMOVED)
    @ApiResponse(responseCode = "503", description = UNREACHABLE)
    @PostMapping("/nodes/{id}/transactions/{txId}")
    public TxnStatus settle(@Parameter(description = NODE_ID, example = "node-1") @PathVariable String id,
                            @Parameter(description = "The transaction id, as GET /nodes/{id}/transactions lists it",
                                    example = "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90") @PathVariable String txId,
                            @RequestBody Settlement settlement) {
        return this.settlement.settle(id, txId, settlement.outcome());
    }
}
