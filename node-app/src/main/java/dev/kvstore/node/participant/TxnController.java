package dev.kvstore.node.participant;

import dev.kvstore.model.CommitRequest;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.TxnStatus;
import dev.kvstore.model.Vote;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The participant's side of two-phase commit, for the coordinator and for peers in doubt. */
@Tag(name = "internal: two-phase commit", description = "Called by the coordinator and by peers in doubt; not for clients.")
@RestController
@RequestMapping("/internal/txn/{txId}")
public class TxnController {

    private final Participant participant;

    public TxnController(Participant participant) {
        this.participant = participant;
    }

    /** Phase one: 200 with the vote (yes, or no with a reason); 400 when the write is malformed. */
    @Operation(summary = "Phase one: validate, lock the key, force a PREPARE record, vote", description = "200 with the vote; a no vote gives the reason (LOCKED, CONFLICT, ABORTED). 400 for a malformed write, 503 when the log cannot make it durable.")
    @PostMapping("/prepare")
    public Vote prepare(@PathVariable String txId, @RequestBody PrepareRequest request) {
        return participant.prepare(txId, request);
    }

    /** Phase two: 200 once committed and durable; 404 if never prepared; 409 if already aborted. */
    @Operation(summary = "Phase two: commit with the given version", description = "200 once durable and visible. Idempotent. 404 if never prepared here, 409 if already aborted.")
    @PostMapping("/commit")
    public TxnStatus commit(@PathVariable String txId, @RequestBody CommitRequest request) {
        return participant.commit(txId, request.version());
    }

    /** Phase two: 200 once aborted; 409 if already committed. */
    @Operation(summary = "Phase two: abort", description = "200 once durable. Idempotent; a later prepare of the same transaction votes no. 409 if already committed.")
    @PostMapping("/abort")
    public TxnStatus abort(@PathVariable String txId) {
        return participant.abort(txId);
    }

    /** What this node knows of the transaction; changes nothing. */
    @Operation(summary = "What this node knows of the transaction", description = "PREPARED, COMMITTED (with version), ABORTED or UNKNOWN; changes nothing.")

    @GetMapping
    public TxnStatus status(@PathVariable String txId) {
        return participant.status(txId);
    }

    /** A peer in doubt asking: like status, but a transaction never prepared here is aborted first. */
    @Operation(summary = "A peer in doubt asking for the outcome", description = "Like the status, but a transaction never prepared here is aborted first, so the answer stays true.")
    @PostMapping("/inquiry")
    public TxnStatus inquiry(@PathVariable String txId) {
        return participant.inquire(txId);
    }
}
