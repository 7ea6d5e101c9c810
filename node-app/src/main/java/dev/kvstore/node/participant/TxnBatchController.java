package dev.kvstore.node.participant;

import dev.kvstore.model.TxnBatch;
import dev.kvstore.model.TxnBatchReply;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Prepares, commits and aborts, many in one request: the only way the coordinator sends them. */
@Tag(name = "internal: two-phase commit")
@RestController
public class TxnBatchController {

    private final TxnBatches batches;

    public TxnBatchController(TxnBatches batches) {
        this.batches = batches;
    }

    @Operation(summary = "Prepare, commit and abort many transactions in one request", description = "The only way the coordinator prepares, commits and aborts; a lone message is a batch of one. The messages are handled together so that their log records share fsyncs. PREPARE locks the key, forces a PREPARE record and votes (a no vote gives the reason: LOCKED, CONFLICT, STALE_VERSION, ABORTED or NO_SPACE; a no vote is a forced ABORT); COMMIT logs a COMMIT record (not forced: it rides on the next fsync), applies the write at its version and frees the key; ABORT forces an ABORT record (aborting a transaction never prepared here makes its late prepare vote no). Each is idempotent. The reply holds one entry per message, in order: the vote (prepare) or the transaction's state (commit, abort), or an error (a NodeError name such as UNKNOWN_TRANSACTION, TRANSACTION_DECIDED, INVALID_REQUEST, VALUE_TOO_LARGE, STORAGE_UNAVAILABLE) with its detail. One message failing does not fail the others. The body may be JSON (values in base64) or CBOR (application/cbor, values as byte strings), and the reply comes in the same form.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {@Content(
                    mediaType = "application/cbor", schema = @Schema(implementation = TxnBatch.class)), @Content(
                    mediaType = "application/json", schema = @Schema(implementation = TxnBatch.class), examples = @ExampleObject(value = """
                            {"messages": [
                              {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "kind": "PREPARE", "prepare": {"key": "greeting", "table": "OWN", "op": "PUT", "value": "aGVsbG8=", "contentType": "text/plain", "expectedVersion": null, "peers": ["node-2"]}},
                              {"txId": "9b2d4e61-0f3a-4c57-8e12-7a6b5c4d3e2f", "kind": "COMMIT", "version": 1718000000000001}]}"""))}))
    @ApiResponse(responseCode = "200", description = "One reply per message, in order, in the request's format", content = {@Content(
            mediaType = "application/cbor", schema = @Schema(implementation = TxnBatchReply.class)), @Content(
            mediaType = "application/json", schema = @Schema(implementation = TxnBatchReply.class), examples = @ExampleObject(value = """
                    {"replies": [
                      {"vote": {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "yes": true, "reason": null, "currentVersion": 0, "seenVersion": 0}, "outcome": null, "error": null, "detail": null},
                      {"vote": null, "outcome": {"txId": "9b2d4e61-0f3a-4c57-8e12-7a6b5c4d3e2f", "state": "COMMITTED", "version": 1718000000000001}, "error": null, "detail": null}]}"""))})
    @ApiResponse(responseCode = "400", description = "The body is not a batch, or holds more messages than the node takes at once")
    @PostMapping("/internal/txn/batch")
    public TxnBatchReply handle(@RequestBody TxnBatch batch) {
        return new TxnBatchReply(batches.handle(batch.messages()));
    }
}
