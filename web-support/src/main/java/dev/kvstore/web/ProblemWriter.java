package dev.kvstore.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 problem straight to the servlet response, for refusals made before Spring MVC
 * (filters, the security firewall), where no {@code ProblemDetail} handler runs.
 */
public final class ProblemWriter {

    private static final JsonMapper JSON = JsonMapper.shared();

    private ProblemWriter() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                             String title, String detail) throws IOException {
        write(request, response, status, "about:blank", title, detail, Map.of());
    }

    /**
     * A problem of its own {@code type} (a URI naming the kind of problem), with further members after the
     * standard ones.
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                             String type, String title, String detail, Map<String, ?> members) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.putAll(members);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
