package dev.kvstore.web;

import static dev.kvstore.web.BadInput.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors that never reach Spring MVC's exception handlers still come out as problem+json. */
@SpringBootTest(classes = ProblemResponsesTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemResponsesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ProblemResponsesConfiguration.class, App.Hello.class})
    static class App {

        @RestController
        static class Hello {
            @GetMapping("/hello")
            String hello() {
                return "hello";
            }
        }

        /** Stands in for a security filter: refuses with sendError, or fails outright. */
        @Bean
        FilterRegistrationBean<Filter> gate() {
            return new FilterRegistrationBean<>((request, response, chain) -> {
                String path = ((HttpServletRequest) request).getRequestURI();
                if (path.equals("/refused")) {
                    ((HttpServletResponse) response).sendError(401,
                            "send the cluster secret in X-Cluster-Secret");
                    return;
                }
                if (path.equals("/broken")) {
                    throw new IllegalStateException("secret internals");
                }
                chain.doFilter(request, response);
            });
        }
    }

    @LocalServerPort
    int port;

    private RawHttp.Response get(String path, String... headers) throws IOException {
        return new RawHttp(port, 10_000).send(BadInput.head("GET", path, List.of(headers)), new byte[0]);
    }

    @Test
    void filterRefusalCarriesItsMessageAsTheDetail() throws IOException {
        assertProblem(get("/refused"), 401, "send the cluster secret");
    }

    @Test
    void problemIsAnsweredEvenToABrowser() throws IOException {
        assertProblem(get("/refused", "Accept: text/html"), 401, "send the cluster secret");
    }

    @Test
    void failureOutsideMvcIs500WithoutTheExceptionText() throws IOException {
        RawHttp.Response response = get("/broken");

        assertProblem(response, 500, "its log has the details");
        assertThat(response.body()).doesNotContain("secret internals");
    }

    @Test
    void urlTomcatCannotDecodeIsAProblemNotAnHtmlPage() throws IOException {
        assertProblem(get("/hello%zz"), 400, "two hex digits");
    }

    @Test
    void errorPageAskedForDirectlyIs404() throws IOException {
        assertProblem(get("/error"), 404, "/v3/api-docs");
    }

    @Test
    void normalAnswersPassUntouched() throws IOException {
        RawHttp.Response response = get("/hello");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
    }
}
