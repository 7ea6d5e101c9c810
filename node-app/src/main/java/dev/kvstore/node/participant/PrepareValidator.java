package dev.kvstore.node.participant;

import dev.kvstore.model.Keys;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.replica.TxIds;

/**
 * What a prepare must be to be voted on, and a write in doubt to be taken on from a range copy: the
 * same checks for both, so a copy cannot bring in a write a prepare here would have refused.
 */
public final class PrepareValidator {

    private static final int MAX_PEERS = 16;
    private static final int MAX_TEXT_LENGTH = 2048;

    private final int maxValueBytes;

    public PrepareValidator(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * @throws InvalidPrepareException  when the id or the write is malformed
     * @throws ValueTooLargeException   when the value exceeds the limit
     */
    public void validate(String txId, PrepareRequest request) {
        if (txId == null || txId.isBlank() || txId.length() > TxIds.MAX_LENGTH) {
            throw new InvalidPrepareException("the transaction id must be 1 to " + TxIds.MAX_LENGTH + " characters");
        }
        if (request == null || request.table() == null || request.op() == null) {
            throw new InvalidPrepareException("a prepare needs key, table (OWN or PREV) and op (PUT or DELETE)");
        }
        String keyProblem = Keys.problem(request.key());
        if (keyProblem != null) {
            throw new InvalidPrepareException(keyProblem);
        }
        if (request.op() == WriteOp.PUT) {
            if (request.value() == null) {
                throw new InvalidPrepareException("a PUT needs a value (base64 in JSON)");
            }
            if (request.value().length > maxValueBytes) {
                throw new ValueTooLargeException(request.value().length, maxValueBytes);
            }
        }
        if (request.contentType() != null && request.contentType().length() > MAX_TEXT_LENGTH) {
            throw new InvalidPrepareException("the content type is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        if (request.expectedVersion() != null && request.expectedVersion() < 0) {
            throw new InvalidPrepareException("expectedVersion must be 0 (absent) or a version, got "
                    + request.expectedVersion());
        }
        if (request.peers().size() > MAX_PEERS
                || request.peers().stream().anyMatch(p -> p == null || p.isBlank() || p.length() > MAX_TEXT_LENGTH)) {
            throw new InvalidPrepareException("peers must be at most " + MAX_PEERS + " non-blank node ids");
        }
    }
}
