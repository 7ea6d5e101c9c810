package dev.kvstore.coordinator.kv;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times every {@code /kv} request as {@code kv.requests}, tagged with the operation and the outcome the
 * client got. The outcome is read from the response status once the problem handler has mapped any
 * exception, so refusals made before the service is reached (413, a malformed If-Match) count too.
 * Register it for {@code /kv/*} only. One timer per operation and outcome, created on first use and
 * then reused.
 */
public final class KvRequestMetrics extends OncePerRequestFilter {

    /** The filter order: after Spring Security's chain (-100), before {@link CachedReads}. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    /** The API's operations; other methods on /kv (405) are not timed. */
    enum Operation {
        GET, HEAD, PUT, DELETE
    }

    enum Outcome {
        /** 200 or 204: read, replaced or deleted. */
        OK,
        /** 201: a PUT that created the key. */
        CREATED,
        NOT_FOUND,
        PRECONDITION_FAILED,
        TOO_LARGE,
        BAD_REQUEST,
        /** 503: a replica cannot take part now; nothing was written. */
        UNAVAILABLE,
        /** 504: committed, not confirmed by every replica in time. */
        UNCONFIRMED,
        /** Any other 4xx. */
        CLIENT_ERROR,
        /** Any other 5xx, or an exception nothing mapped. */
        ERROR;

        static Outcome of(int status) {
            return switch (status) {
                case 201 -> CREATED;
                case 400, 415 -> BAD_REQUEST;
                case 404 -> NOT_FOUND;
                case 412 -> PRECONDITION_FAILED;
                case 413 -> TOO_LARGE;
                case 503 -> UNAVAILABLE;
                case 504 -> UNCONFIRMED;
                default -> status < 400 ? OK : status < 500 ? CLIENT_ERROR : ERROR;
            };
        }
    }

    private static final Operation[] OPERATIONS = Operation.values();
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OPERATIONS.length * OUTCOMES.length);

    public KvRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Operation operation = operation(request.getMethod());
        if (operation == null) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            Outcome outcome = failed ? Outcome.ERROR : Outcome.of(response.getStatus());
            timer(operation, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    Timer timer(Operation operation, Outcome outcome) {
        int slot = operation.ordinal() * OUTCOMES.length + outcome.ordinal();
        Timer timer = timers.get(slot);
        if (timer == null) {
            // Registering is idempotent, so two threads racing here end up with the same timer.
            timer = Timer.builder("kv.requests")
                    .tag("operation", operation.name().toLowerCase(Locale.ROOT))
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("/kv requests, by operation and the outcome the client got")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            timers.set(slot, timer);
        }
        return timer;
    }

    private static Operation operation(String method) {
        return switch (method) {
            case "GET" -> Operation.GET;
            case "HEAD" -> Operation.HEAD;
            case "PUT" -> Operation.PUT;
            case "DELETE" -> Operation.DELETE;
            default -> null;
        };
    }
}
