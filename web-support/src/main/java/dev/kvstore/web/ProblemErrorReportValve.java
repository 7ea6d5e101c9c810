package dev.kvstore.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's error page for what it refuses before the application sees it (an unparseable request
 * line, header or URL, headers over the size limit): an RFC 9457 problem instead of Tomcat's HTML.
 * Everything the application answers itself, including through {@code /error}, passes untouched.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);
    private static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        // The same guard as Tomcat's own report: only errors nobody has answered yet.
        if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ContainerErrors.Problem problem = ContainerErrors.describe(new ContainerErrors.Refusal(response.getStatus(),
                response.getMessage(), throwable, request.getRequestURI(), request.getHeader("host") != null,
                maxHeaderBytes(request)));
        log.debug("Refused before the application: {} {} ({})", problem.status(), problem.detail(),
                throwable == null ? response.getMessage() : throwable.toString());
        try {
            response.setStatus(problem.status());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problem.toJson());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("Could not write the problem for a refused request", e);
        }
    }

    private static int maxHeaderBytes(Request request) {
        Object configured = request.getConnector() == null ? null
                : request.getConnector().getProperty("maxHttpHeaderSize");
        return configured instanceof Integer bytes ? bytes : DEFAULT_MAX_HEADER_BYTES;
    }
}
