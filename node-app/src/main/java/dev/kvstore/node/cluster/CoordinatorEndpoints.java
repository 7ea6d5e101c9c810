package dev.kvstore.node.cluster;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinators this node may talk to ({@code kv.coordinator.urls}) and which of them answered last.
 * Any coordinator answers any request (followers forward to the leader), so a call goes to the one that
 * answered last and moves on to the next only when that one gave no answer: {@code noAnswer} tells (no
 * connection, a timeout, a 5xx). Any other outcome, a 4xx included, is an answer and ends the call.
 *
 * <p>A move is logged once, at INFO, by the call that makes it. Thread-safe; plain Java.
 */
public final class CoordinatorEndpoints {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorEndpoints.class);

    /** One attempt of a call at one coordinator. */
    @FunctionalInterface
    public interface Attempt<T> {

        /** @param coordinator a base URL without a trailing slash, like {@code http://10.0.0.2:8080} */
        T at(URI coordinator);
    }

    private final List<URI> urls;
    private final Predicate<? super RuntimeException> noAnswer;
    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param urls     the coordinators' base URLs, tried in this order from the first
     * @param noAnswer which failures of an attempt mean "this coordinator did not answer: try the next"
     */
    public CoordinatorEndpoints(List<URI> urls, Predicate<? super RuntimeException> noAnswer) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("kv.coordinator.urls must name at least one coordinator");
        }
        this.urls = urls.stream().map(CoordinatorEndpoints::withoutTrailingSlash).toList();
        this.noAnswer = Objects.requireNonNull(noAnswer, "noAnswer");
    }

    private static URI withoutTrailingSlash(URI url) {
        String scheme = Objects.requireNonNull(url, "a coordinator URL").getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("kv.coordinator.urls takes http(s)://host:port URLs; got " + url);
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    public List<URI> urls() {
        return urls;
    }

    /** The coordinator that answered last (the first one until another answers instead). */
    public URI current() {
        return urls.get(current.get());
    }

    /**
     * Runs {@code attempt} at the coordinator that answered last, then at each next one (in order, wrapping
     * around) while they give no answer; each is tried at most once.
     *
     * @return the first answer
     * @throws RuntimeException the attempt's own exception when it is an answer, or the last one's when no
     *                          coordinator answered
     */
    public <T> T call(Attempt<T> attempt) {
        int first = current.get();
        RuntimeException unanswered = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (first + i) % urls.size();
            URI url = urls.get(index);
            try {
                T answer = attempt.at(url);
                answeredBy(first, index);
                return answer;
            } catch (RuntimeException e) {
                if (!noAnswer.test(e)) {
                    answeredBy(first, index);
                    throw e;
                }
                log.debug("coordinator {} did not answer: {}", url, e.toString());
                unanswered = e;
            }
        }
        throw unanswered;
    }

    private void answeredBy(int first, int index) {
        if (index != first && current.compareAndSet(first, index)) {
            log.info("coordinator {} did not answer; talking to coordinator {} from now on", urls.get(first),
                    urls.get(index));
        }
    }
}
