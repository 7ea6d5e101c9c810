package dev.kvstore.coordinator.web;

import dev.kvstore.coordinator.kv.InvalidRequestException;
import dev.kvstore.coordinator.kv.KeyNotFoundException;
import dev.kvstore.coordinator.kv.KvApiProperties;
import dev.kvstore.coordinator.kv.PreconditionFailedException;
import dev.kvstore.coordinator.kv.ReplicasUnavailableException;
import dev.kvstore.coordinator.kv.ValueTooLargeException;
import dev.kvstore.coordinator.kv.WriteUnconfirmedException;
import dev.kvstore.coordinator.membership.InvalidRegistrationException;
import dev.kvstore.coordinator.membership.NodeIdInUseException;
import dev.kvstore.coordinator.migration.RangeMovingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/** Maps the coordinator's exceptions to problem details. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final String retryAfterSeconds;

    public ProblemHandler(KvApiProperties properties) {
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @ExceptionHandler({InvalidRequestException.class, InvalidRegistrationException.class})
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
    ProblemDetail preconditionFailed(PreconditionFailedException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "Precondition failed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail tooLarge(ValueTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Value too large", e.getMessage());
    }

    @ExceptionHandler({ReplicasUnavailableException.class, RangeMovingException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        log.info("503: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Replicas unavailable", e.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail unconfirmed(WriteUnconfirmedException e) {
        return problem(HttpStatus.GATEWAY_TIMEOUT, "Write not confirmed by every replica", e.getMessage());
    }

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
