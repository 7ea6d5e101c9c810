package dev.kvstore.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Makes every error an app answers problem+json, wherever it arises: {@code /error} for errors
 * outside Spring MVC, and Tomcat's error report for requests refused before the application. Also
 * keeps Tomcat from inviting request bodies the application has not asked for. Imported by each app.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemResponsesConfiguration {

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemResponsesTomcatCustomizer() {
        return new TomcatCustomizer();
    }

    /** After Spring Boot's own customizer, which adds an HTML ErrorReportValve this one replaces. */
    static final class TomcatCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            // A client that sends "Expect: 100-continue" (curl does for large bodies) is told to go ahead only
            // when the application starts reading, so a body refused from its Content-Length is never sent.
            factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
            factory.addContextCustomizers(context -> {
                StandardHost host = (StandardHost) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                // Named as the host's report valve, so the host does not add Tomcat's HTML one when it starts.
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
