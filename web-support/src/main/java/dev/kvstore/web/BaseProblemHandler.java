package dev.kvstore.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The problem details both apps give for requests Spring MVC refuses before a controller runs, each
 * with a detail that says what to send instead. The apps' own handlers extend this one and add
 * their exceptions.
 */
public abstract class BaseProblemHandler extends ResponseEntityExceptionHandler {

    private static final List<HttpMethod> METHOD_ORDER = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    protected static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /** Malformed JSON, wrong types, missing fields (400), or a body over the limit (413). */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = JsonBodyProblems.describe(e);
        return handleExceptionInternal(e, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
    }

    /** 405 naming the methods that work, in the detail and in Allow (HEAD with GET, OPTIONS always). */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods() == null ? Set.of() : e.getSupportedHttpMethods();
        List<HttpMethod> allowed = METHOD_ORDER.stream()
                .filter(m -> supported.contains(m) || m.equals(HttpMethod.OPTIONS)
                        || m.equals(HttpMethod.HEAD) && supported.contains(HttpMethod.GET))
                .toList();
        HttpHeaders allow = new HttpHeaders();
        allow.setAllow(new LinkedHashSet<>(allowed));
        String names = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
        ProblemDetail problem = problem(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed",
                e.getMethod() + " is not supported on " + path(request) + "; use " + names);
        return handleExceptionInternal(e, problem, allow, HttpStatus.METHOD_NOT_ALLOWED, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String sent = e.getContentType() == null ? "no Content-Type" : "Content-Type " + e.getContentType();
        ProblemDetail problem = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                sent + " is not accepted here; send the body as " + types(e.getSupportedMediaTypes()));
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.NOT_ACCEPTABLE, "Not Acceptable", "this endpoint answers "
                + types(e.getSupportedMediaTypes()) + " (errors as application/problem+json); send an Accept header "
                + "that allows one of them, or */*");
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Missing query parameter", "the query parameter '"
                + e.getParameterName() + "' is required: " + path(request) + "?" + e.getParameterName() + "=...");
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Not Found", "nothing is served at " + path(request)
                + "; see /v3/api-docs for the endpoints");
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    private static String types(List<MediaType> types) {
        if (types == null || types.isEmpty()) {
            return MediaType.APPLICATION_JSON_VALUE;
        }
        return types.stream().map(MediaType::toString).distinct().collect(Collectors.joining(", "));
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "this path";
    }
}
