package dev.kvstore.node.participant;

import dev.kvstore.model.InDoubtTransaction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The transactions in doubt here, for the coordinator to show an operator who has to settle one. */
@Tag(name = "internal: two-phase commit", description = "Called by the coordinator and by peers in doubt; not for clients.")
@RestController
public class InDoubtController {

    private final Participant participant;

    public InDoubtController(Participant participant) {
        this.participant = participant;
    }

    @Operation(summary = "Transactions in doubt here", description = "Every transaction prepared and not decided yet, "
            + "oldest first, with the key it holds, its peers and the version held for the key now (a commit must be "
            + "newer). Settle one with the commit or abort of its txId.")
    @ApiResponse(responseCode = "200", description = "The transactions in doubt (none: an empty list)",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = InDoubtTransaction.class)),
                    examples = @ExampleObject(value = """
                            [{"txId": "3f1c9a52-6a4e-4f0b-9d51-0c1b2e7f8a90", "key": "greeting", "table": "OWN", "op": "PUT",
                              "since": "2025-06-10T08:15:30Z", "peers": ["node-2"], "currentVersion": 1718000000000001}]""")))
    @GetMapping("/internal/txn")
    public List<InDoubtTransaction> inDoubt() {
        return participant.inDoubtTransactions();
    }
}
