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

/** Many prepares, commits and aborts in one request: how the coordinator sends them under load. */
@Tag(name = "internal: two-phase commit")
@RestController
public class TxnBatchController {

    private final TxnBatches batches;

    public TxnBatchController(TxnBatches batches) {
        this.batches = batches;
    }

    @Operation(summary = "Prepare, commit and abort many transactions in one request", description = "Each message is handled exactly as its single endpoint (/internal/txn/{txId}/prepare, /commit, /abort) would handle it, all concurrently so that their log records share fsyncs. The reply holds one entry per message, in order: the status the single endpoint would have answered, with the vote (prepare), the state (commit, abort) or the detail of a failure. One message failing does not fail the others.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = TxnBatch.class), examples = @ExampleObject(value = """
                            {"messages": [
                              {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "kind": "PREPARE", "prepare": {"key": "greeting", "table": "OWN", "op": "PUT", "value": "aGVsbG8=", "contentType": "text/plain", "expectedVersion": null, "peers": ["http://10.0.0.6:9001"]}},
                              {"txId": "9b2d4e61-0f3a-4c57-8e12-7a6b5c4d3e2f", "kind": "COMMIT", "version": 1718000000000001}]}"""))))
    @ApiResponse(responseCode = "200", description = "One reply per message, in order", content = @Content(
            schema = @Schema(implementation = TxnBatchReply.class), examples = @ExampleObject(value = """
                    {"replies": [
                      {"status": 200, "vote": {"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "yes": true, "reason": null, "currentVersion": 0}},
                      {"status": 200, "outcome": {"txId": "9b2d4e61-0f3a-4c57-8e12-7a6b5c4d3e2f", "state": "COMMITTED", "version": 1718000000000001}}]}""")))
    @ApiResponse(responseCode = "400", description = "The body is not a batch, or holds more messages than the node takes at once")
    @PostMapping("/internal/txn/batch")
    public TxnBatchReply handle(@RequestBody TxnBatch batch) {
        return new TxnBatchReply(batches.handle(batch.messages()));
    }
}
