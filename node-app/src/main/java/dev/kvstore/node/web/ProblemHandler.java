package dev.kvstore.node.web;

import dev.kvstore.auth.LogThrottle;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import dev.kvstore.web.BaseProblemHandler;
import java.net.URI;
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

/**
 * Maps the node's exceptions to problem details, once for every controller: each carries its
 * {@link NodeError}, which gives the status, the problem type, the title and any Retry-After.
 */
@RestControllerAdvice
public class ProblemHandler extends BaseProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** A failed log refuses every call: a few lines say so, not one per call. */
    private final LogThrottle failures = new LogThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1));

    @ExceptionHandler
    ResponseEntity<ProblemDetail> refused(NodeErrorException e) {
        NodeError error = e.error();
        if (error.status() >= 500) {
            LogThrottle.Admission admission = failures.admit();
            if (admission.log()) {
                log.warn("{}: {}{}", error, e.getMessage(), admission.heldBack());
            }
        }
        ProblemDetail problem = problem(HttpStatus.valueOf(error.status()), error.title(), e.detail());
        problem.setType(URI.create(error.type()));
        e.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status());
        if (error.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
        return response.body(problem);
    }
}
