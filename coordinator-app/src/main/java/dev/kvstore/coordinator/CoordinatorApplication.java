package dev.kvstore.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The coordinator: serves the client API on port 8080 and drives two-phase commit over the nodes. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CoordinatorApplication {

    public static void main(String[] args) {
        // Pooled connections to nodes are dropped after 15 s idle, before the nodes' keep-alive
        // timeout closes them under us (read once, when the JDK HTTP client first loads).
        System.setProperty("jdk.httpclient.keepalive.timeout",
                System.getProperty("jdk.httpclient.keepalive.timeout", "15"));
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
