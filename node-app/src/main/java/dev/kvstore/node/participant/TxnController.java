package dev.kvstore.node.participant;

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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this node knows of a transaction, for operators and for peers in doubt. The coordinator's
 * prepares, commits and aborts travel in batches ({@link TxnBatchController}).
 */
@Tag(name = "internal: two-phase commit", description = "Called by the coordinator and by peers in doubt; not for clients.")
@RestController
@RequestMapping("/internal/txn/{txId}")
public class TxnController {

    private static final String TX_ID = "The transaction id the coordinator chose, 1 to 128 characters";
    private static final String TX_EXAMPLE = "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90";
    private static final String WAL_DOWN = "The write-ahead log cannot make records durable now; retry later";
    private static final String STATUS_EXAMPLE = """
            {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "state": "COMMITTED", "version": 1718000000000001}""";

    private final Participant participant;

    public TxnController(Participant participant) {
        this.participant = participant;
    }

    /** What this node knows of the transaction; changes nothing. */
    @Operation(summary = "What this node knows of the transaction", description = "PREPARED, COMMITTED (with version), ABORTED or UNKNOWN; changes nothing.")
    @ApiResponse(responseCode = "200", description = "The transaction's state here", content = @Content(
            schema = @Schema(implementation = TxnStatus.class), examples = @ExampleObject(value = STATUS_EXAMPLE)))
    @GetMapping
    public TxnStatus status(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId) {
        return participant.status(txId);
    }

    /** A peer in doubt asking for a final answer (see {@link Participant#inquire}). */
    @Operation(summary = "A peer in doubt asking for the outcome", description = "Like the status, but final: a transaction not known here is aborted first unless this node may have committed it and forgotten the outcome (it forgot a commit at the asker's version or above: then the answer is UNKNOWN), and one prepared here and undecided is committed first when the asker says it is settling it (it prepared too, and refuses the coordinator's abort from now on).")
    @ApiResponse(responseCode = "200", description = "The transaction's state here (ABORTED when it was unknown and cannot have been forgotten; UNKNOWN when it may have been)")
    @ApiResponse(responseCode = "421", description = "The inquiry names another node: this URL no longer serves it")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/inquiry")
    public TxnStatus inquiry(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId,
                             @Parameter(description = "the node id the asker looked up for this URL; when given, "
                                     + "any other node refuses instead of answering for a transaction it never saw",
                                     example = "node-2") @RequestParam(required = false) String node,
                             @Parameter(description = "the asker prepared the transaction and durably marked itself "
                                     + "settling it with this node") @RequestParam(defaultValue = "false") boolean resolving,
                             @Parameter(description = "the version the asker prepared the write at; 0 when unknown",
                                     example = "1764000000000000") @RequestParam(defaultValue = "0") long version) {
        // A node other than this one was refused by the term filter before this ran, as for every /internal call.
        return participant.inquire(txId, resolving, version);
    }
}
