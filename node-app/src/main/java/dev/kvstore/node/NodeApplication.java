package dev.kvstore.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A storage node: own/prev tables on a write-ahead log, taking part in two-phase commit. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class NodeApplication {

    public static void main(String[] args) {
        // Pooled connections to the coordinator and peers are dropped after 15 s idle, before the other
        // side's keep-alive timeout closes them under us (read once, when the JDK HTTP client loads).
        System.setProperty("jdk.httpclient.keepalive.timeout",
                System.getProperty("jdk.httpclient.keepalive.timeout", "15"));
        SpringApplication.run(NodeApplication.class, args);
    }
}
