package dev.kvstore.node.participant;

import dev.kvstore.model.CommitRequest;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The participant's side of two-phase commit, for the coordinator and for peers in doubt. */
@Tag(name = "internal: two-phase commit", description = "Called by the coordinator and by peers in doubt; not for clients.")
@RestController
@RequestMapping("/internal/txn/{txId}")
public class TxnController {

    private static final String TX_ID = "The transaction id the coordinator chose, 1 to 128 characters";
    private static final String TX_EXAMPLE = "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90";
    private static final String WAL_DOWN = "The write-ahead log cannot make records durable now; retry on another "
            + "replica or later";
    private static final String STATUS_EXAMPLE = """
            {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "state": "COMMITTED", "version": 1718000000000001}""";

    private final Participant participant;

    public TxnController(Participant participant) {
        this.participant = participant;
    }

    /** Phase one: 200 with the vote (yes, or no with a reason); 400 when the write is malformed. */
    @Operation(summary = "Phase one: validate, lock the key, force a PREPARE record, vote", description = "A no vote gives the reason: LOCKED (another transaction holds the key), CONFLICT (expectedVersion differs from the version held) or ABORTED (already aborted here). Repeating a prepare repeats its vote. value is base64; expectedVersion is null for no condition, 0 for \"must be absent\"; peers are the other participants' node ids (found through the coordinator; an absolute http(s) URL is used as it is), asked for the outcome when the coordinator cannot be reached.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = PrepareRequest.class), examples = @ExampleObject(value = """
                            {"key": "greeting", "table": "OWN", "op": "PUT", "value": "aGVsbG8=", "contentType": "text/plain",
                             "expectedVersion": null, "peers": ["node-2"]}"""))))
    @ApiResponse(responseCode = "200", description = "The vote", content = @Content(
            schema = @Schema(implementation = Vote.class), examples = @ExampleObject(value = """
                    {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "yes": false, "reason": "CONFLICT", "currentVersion": 1718000000000001}""")))
    @ApiResponse(responseCode = "400", description = "The write is malformed (key, table, op, value size, "
            + "expectedVersion, peers) or the body is not JSON")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/prepare")
    public Vote prepare(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId, @RequestBody PrepareRequest request) {
        return participant.prepare(txId, request);
    }

    /** Phase two: 200 once committed and durable; 404 if never prepared; 409 if already aborted. */
    @Operation(summary = "Phase two: commit with the given version", description = "Forces a COMMIT record, then the write is visible with that version and the key is free. Idempotent.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = CommitRequest.class),
                    examples = @ExampleObject(value = "{\"version\": 1718000000000001}"))))
    @ApiResponse(responseCode = "200", description = "Committed and durable", content = @Content(
            schema = @Schema(implementation = TxnStatus.class), examples = @ExampleObject(value = STATUS_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "The version is not positive, or the body is not JSON")
    @ApiResponse(responseCode = "404", description = "The transaction was never prepared here")
    @ApiResponse(responseCode = "409", description = "The transaction is already aborted here")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/commit")
    public TxnStatus commit(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId, @RequestBody CommitRequest request) {
        return participant.commit(txId, request.version());
    }

    /** Phase two: 200 once aborted; 409 if already committed. */
    @Operation(summary = "Phase two: abort", description = "Forces an ABORT record and frees the key. Idempotent; aborting a transaction not prepared here makes its late prepare vote no.")
    @ApiResponse(responseCode = "200", description = "Aborted and durable")
    @ApiResponse(responseCode = "409", description = "The transaction is already committed here")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/abort")
    public TxnStatus abort(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId) {
        return participant.abort(txId);
    }

    /** What this node knows of the transaction; changes nothing. */
    @Operation(summary = "What this node knows of the transaction", description = "PREPARED, COMMITTED (with version), ABORTED or UNKNOWN; changes nothing.")
    @ApiResponse(responseCode = "200", description = "The transaction's state here", content = @Content(
            schema = @Schema(implementation = TxnStatus.class), examples = @ExampleObject(value = STATUS_EXAMPLE)))
    @GetMapping
    public TxnStatus status(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId) {
        return participant.status(txId);
    }

    /** A peer in doubt asking: like status, but a transaction never prepared here is aborted first. */
    @Operation(summary = "A peer in doubt asking for the outcome", description = "Like the status, but a transaction never prepared here is aborted first, so the answer stays true.")
    @ApiResponse(responseCode = "200", description = "The transaction's state here (ABORTED when it was unknown)")
    @ApiResponse(responseCode = "421", description = "The inquiry names another node: this URL no longer serves it")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/inquiry")
    public TxnStatus inquiry(@Parameter(description = TX_ID, example = TX_EXAMPLE) @PathVariable String txId,
                             @Parameter(description = "the node id the asker looked up for this URL; when given, "
                                     + "any other node refuses instead of answering for a transaction it never saw",
                                     example = "node-2") @RequestParam(required = false) String node) {
        // A node other than this one was refused by the term filter before this ran, as for every /internal call.
        return participant.inquire(txId);
    }
}
