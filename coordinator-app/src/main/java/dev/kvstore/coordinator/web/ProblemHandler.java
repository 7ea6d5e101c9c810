package dev.kvstore.coordinator.web;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.coordinator.group.GroupUnavailableException;
import dev.kvstore.coordinator.kv.InsufficientStorageException;
import dev.kvstore.coordinator.kv.InvalidRequestException;
import dev.kvstore.coordinator.kv.KeyNotFoundException;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.kv.PreconditionFailedException;
import dev.kvstore.coordinator.kv.ReplicasUnavailableException;
import dev.kvstore.coordinator.kv.ValueTooLargeException;
import dev.kvstore.coordinator.kv.WriteUnconfirmedException;
import dev.kvstore.coordinator.membership.InvalidRegistrationException;
import dev.kvstore.coordinator.membership.NodeIdInUseException;
import dev.kvstore.coordinator.membership.NodeRemovedException;
import dev.kvstore.coordinator.membership.UnknownNodeException;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.coordinator.ring.RangeMovingException;
import dev.kvstore.coordinator.txn.InvalidSettlementException;
import dev.kvstore.coordinator.txn.NotInDoubtException;
import dev.kvstore.coordinator.txn.SettlementConflictException;
import dev.kvstore.model.InvalidKeyException;
import dev.kvstore.web.BaseProblemHandler;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps the coordinator's exceptions to problem details. */
@RestControllerAdvice
public class ProblemHandler extends BaseProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final String retryAfterSeconds;
    /** Under a node failure every write to its keys is a 503: a few lines a minute say so, with a count. */
    private final LogThrottle unavailableLog = new LogThrottle(Clock.systemUTC(), 5, Duration.ofMinutes(1));

    public ProblemHandler(KvApiProperties properties) {
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @ExceptionHandler({InvalidRequestException.class, InvalidKeyException.class, InvalidRegistrationException.class,
            InvalidSettlementException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notFound(KeyNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Key not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail nodeIdInUse(NodeIdInUseException e) {
        return problem(HttpStatus.CONFLICT, "Node id in use", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownNode(UnknownNodeException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown node", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail removedNode(NodeRemovedException e) {
        return problem(HttpStatus.GONE, "Node removed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notInDoubt(NotInDoubtException e) {
        return problem(HttpStatus.NOT_FOUND, "Transaction not in doubt", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail settlementConflict(SettlementConflictException e) {
        return problem(HttpStatus.CONFLICT, "Settlement conflicts with a decision", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> nodeUnavailable(NodeUnavailableException e) {
        return unavailable("Node unavailable", e);
    }

    @ExceptionHandler
    ProblemDetail preconditionFailed(PreconditionFailedException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "Precondition failed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail tooLarge(ValueTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Value too large", e.getMessage());
    }

    /** 507, without Retry-After: the write succeeds only once space is freed, which takes an operator or deletes. */
    @ExceptionHandler
    ProblemDetail insufficientStorage(InsufficientStorageException e) {
        log.debug("507: {}", e.getMessage());
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", e.getMessage());
    }

    @ExceptionHandler({ReplicasUnavailableException.class, RangeMovingException.class})
    ResponseEntity<ProblemDetail> replicasUnavailable(RuntimeException e) {
        return unavailable("Replicas unavailable", e);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> groupUnavailable(GroupUnavailableException e) {
        return unavailable("No coordinator leader", e);
    }

    /** 503 with Retry-After: the request may succeed as it is, shortly. */
    private ResponseEntity<ProblemDetail> unavailable(String title, RuntimeException e) {
        LogThrottle.Admission admission = unavailableLog.admit();
        if (admission.log()) {
            log.info("503: {}{}", e.getMessage(), admission.heldBack());
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, title, e.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail unconfirmed(WriteUnconfirmedException e) {
        return problem(HttpStatus.GATEWAY_TIMEOUT, "Write outcome unknown", e.getMessage());
    }
}
