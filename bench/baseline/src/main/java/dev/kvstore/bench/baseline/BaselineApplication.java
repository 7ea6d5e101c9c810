package dev.kvstore.bench.baseline;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The "bare Spring Boot" baseline of {@code bench/run}: the same web stack as the coordinator (Tomcat,
 * Spring MVC, virtual threads) answering the same paths, with no storage, cache or cluster behind them.
 * What it serves per second is the ceiling the web layer alone leaves on this machine.
 */
@SpringBootApplication
@RestController
public class BaselineApplication {

    /** What every GET answers: 100 bytes, the size of the benchmark's values. */
    static final byte[] VALUE = "v".repeat(100).getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) {
        SpringApplication.run(BaselineApplication.class, args);
    }

    @GetMapping("/kv/{*key}")
    ResponseEntity<byte[]> get(@PathVariable String key) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(VALUE);
    }

    /** Reads the whole body, as the coordinator does, and answers 201 Created. */
    @PutMapping("/kv/{*key}")
    ResponseEntity<Void> put(@PathVariable String key, @RequestBody(required = false) byte[] value) {
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }
}
