package dev.kvstore.node.web;

import dev.kvstore.node.cluster.InvalidRingException;
import dev.kvstore.node.participant.InvalidPrepareException;
import dev.kvstore.node.participant.InvalidRangeException;
import dev.kvstore.node.participant.TransactionConflictException;
import dev.kvstore.node.participant.UnknownTransactionException;
import dev.kvstore.node.storage.RangeSourceException;
import dev.kvstore.node.storage.KeyInDoubtException;
import dev.kvstore.node.storage.UnknownTableException;
import dev.kvstore.node.wal.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/** Maps the node's exceptions to problem details, once for every controller. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler({InvalidPrepareException.class, InvalidRangeException.class, UnknownTableException.class, InvalidRingException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
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
        log.error("write-ahead log unavailable: {}", e.getMessage());
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

    /** Says what in the body could not be read (Jackson's message, without the source excerpt). */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        String detail = cause instanceof JacksonException jackson ? jackson.getOriginalMessage() : cause.getMessage();
        if (detail == null || cause == e) {
            detail = "the request body is missing or is not the JSON this endpoint expects";
        }
        return handleExceptionInternal(e, problem(HttpStatus.BAD_REQUEST, "Unreadable request body", detail),
                headers, status, request);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
