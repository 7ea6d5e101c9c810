package dev.kvstore.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): what a filter's {@code sendError} or an
 * exception outside Spring MVC ends in. Always a problem+json, whatever the request accepts: the
 * detail is the message the sender gave for a 4xx, and never an exception's text for a 5xx.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        ProblemDetail problem;
        if (status == null) {
            // Asked for directly, not forwarded here by the container.
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "nothing is served at "
                    + request.getRequestURI() + "; see /v3/api-docs for the endpoints");
        } else {
            problem = ProblemDetail.forStatusAndDetail(status, detail(status, request));
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (uri instanceof String path) {
                try {
                    problem.setInstance(URI.create(path));
                } catch (IllegalArgumentException notAUri) {
                    // Leave the instance out rather than echo a malformed path.
                }
            }
        }
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detail(HttpStatus status, HttpServletRequest request) {
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        if (status.is4xxClientError() && message instanceof String text && !text.isBlank()) {
            return text;
        }
        if (status.is5xxServerError()) {
            return "the server failed to handle the request; its log has the details";
        }
        return status.getReasonPhrase();
    }
}
