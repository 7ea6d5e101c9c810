package dev.kvstore.node.web;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.node.cluster.InvalidRingException;
import dev.kvstore.node.migration.RangeSourceException;
import dev.kvstore.node.participant.InvalidPrepareException;
import dev.kvstore.node.participant.TransactionConflictException;
import dev.kvstore.node.participant.UnknownTransactionException;
import dev.kvstore.node.participant.ValueTooLargeException;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.storage.InvalidKeyException;
import dev.kvstore.node.storage.KeyInDoubtException;
import dev.kvstore.node.storage.KeyNotFoundException;
import dev.kvstore.node.storage.UnknownTableException;
import dev.kvstore.node.wal.WalException;
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

/** Maps the node's exceptions to problem details, once for every controller. */
@RestControllerAdvice
public class ProblemHandler extends BaseProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final LogThrottle walRefusals = new LogThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1));

    @ExceptionHandler({InvalidPrepareException.class, InvalidRangeException.class, UnknownTableException.class,
            InvalidRingException.class, InvalidKeyException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail valueTooLarge(ValueTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Value too large", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail absent(KeyNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Key not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownTransaction(UnknownTransactionException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown transaction", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail inDoubt(KeyInDoubtException e) {
        return problem(HttpStatus.CONFLICT, "Key in doubt", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(TransactionConflictException e) {
        return problem(HttpStatus.CONFLICT, "Transaction already decided", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> storageFailed(WalException e) {
        LogThrottle.Admission admission = walRefusals.admit();
        if (admission.log()) {
            log.error("write-ahead log unavailable: {}{}", e.getMessage(), admission.heldBack());
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable",
                        "this node cannot make writes durable now; retry on another replica or later"));
    }

    /** A range copy whose source failed: 503 (retry) or 502, naming the source and what was installed anyway. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> rangeSourceFailed(RangeSourceException e) {
        log.warn("range copy failed: {}", e.getMessage());
        boolean retry = e.status() == HttpStatus.SERVICE_UNAVAILABLE;
        ProblemDetail problem = problem(e.status(), retry ? "Range source unavailable" : "Range source failed",
                e.getMessage());
        problem.setProperty("source", e.source());
        problem.setProperty("installed", e.installed());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (retry) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response.body(problem);
    }
}
