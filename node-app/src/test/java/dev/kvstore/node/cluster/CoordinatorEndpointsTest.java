package dev.kvstore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Which coordinator a call goes to, and when it moves on, with scripted attempts instead of HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class CoordinatorEndpointsTest {

    private static final URI A = URI.create("http://a:8080");
    private static final URI B = URI.create("http://b:8080");
    private static final URI C = URI.create("http://c:8080");

    /** "this coordinator gave no answer" */
    private static final class Silent extends RuntimeException {
        Silent(URI url) {
            super(url + " is silent");
        }
    }

    /** "this coordinator answered with an error", like a 404 */
    private static final class Refusal extends RuntimeException {
        Refusal(URI url) {
            super(url + " refuses");
        }
    }

    private final CoordinatorEndpoints endpoints =
            new CoordinatorEndpoints(List.of(A, B, C), e -> e instanceof Silent);
    private final List<URI> tried = new ArrayList<>();

    /** An attempt that is answered by {@code answering}, refused by {@code refusing}, and silent elsewhere. */
    private CoordinatorEndpoints.Attempt<String> attempt(Set<URI> answering, Set<URI> refusing) {
        return url -> {
            tried.add(url);
            if (answering.contains(url)) {
                return "answer from " + url.getHost();
            }
            throw refusing.contains(url) ? new Refusal(url) : new Silent(url);
        };
    }

    @Test
    void theFirstCoordinatorIsAskedFirstAndAloneWhenItAnswers() {
        assertThat(endpoints.call(attempt(Set.of(A, B, C), Set.of()))).isEqualTo("answer from a");

        assertThat(tried).containsExactly(A);
        assertThat(endpoints.current()).isEqualTo(A);
    }

    @Test
    void aSilentCoordinatorIsPassedOverAndTheOneThatAnsweredIsAskedFirstNextTime() {
        assertThat(endpoints.call(attempt(Set.of(B, C), Set.of()))).isEqualTo("answer from b");
        assertThat(endpoints.current()).isEqualTo(B);

        tried.clear();
        assertThat(endpoints.call(attempt(Set.of(A, B, C), Set.of()))).isEqualTo("answer from b");

        assertThat(tried).containsExactly(B);
    }

    @Test
    void aRefusalIsAnAnswerSoNoOtherCoordinatorIsAsked() {
        assertThatThrownBy(() -> endpoints.call(attempt(Set.of(B), Set.of(A)))).isInstanceOf(Refusal.class);

        assertThat(tried).containsExactly(A);
        assertThat(endpoints.current()).isEqualTo(A);
    }

    @Test
    void aRefusalFromTheNextCoordinatorMakesItTheOneInUse() {
        assertThatThrownBy(() -> endpoints.call(attempt(Set.of(), Set.of(B)))).isInstanceOf(Refusal.class);

        assertThat(tried).containsExactly(A, B);
        assertThat(endpoints.current()).isEqualTo(B);
    }

    @Test
    void theSearchWrapsAroundFromTheOneInUse() {
        endpoints.call(attempt(Set.of(C), Set.of()));
        tried.clear();

        assertThat(endpoints.call(attempt(Set.of(B), Set.of()))).isEqualTo("answer from b");

        assertThat(tried).containsExactly(C, A, B);
    }

    @Test
    void whenNoneAnswersEachIsAskedOnceTheLastFailureIsThrownAndTheOneInUseStays() {
        assertThatThrownBy(() -> endpoints.call(attempt(Set.of(), Set.of())))
                .isInstanceOf(Silent.class).hasMessage("http://c:8080 is silent");

        assertThat(tried).containsExactly(A, B, C);
        assertThat(endpoints.current()).isEqualTo(A);
    }

    @Test
    void aMoveIsLoggedOnceAtInfoNotOnEveryCall(CapturedOutput output) {
        for (int call = 0; call < 20; call++) {
            endpoints.call(attempt(Set.of(B), Set.of()));
        }

        String move = "coordinator http://a:8080 did not answer; talking to coordinator http://b:8080 from now on";
        assertThat(output.getOut().split(java.util.regex.Pattern.quote(move), -1)).hasSize(2);
        assertThat(output.getOut()).contains("INFO");
    }

    @Test
    void urlsAreKeptInOrderWithoutATrailingSlash() {
        CoordinatorEndpoints slashed = new CoordinatorEndpoints(
                List.of(URI.create("http://a:8080/"), URI.create("https://b:8443/prefix/")), e -> true);

        assertThat(slashed.urls()).containsExactly(URI.create("http://a:8080"), URI.create("https://b:8443/prefix"));
    }

    @Test
    void noCoordinatorOrOneThatIsNotHttpIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> new CoordinatorEndpoints(List.of(), e -> true))
                .hasMessageContaining("kv.coordinator.urls");
        assertThatThrownBy(() -> new CoordinatorEndpoints(List.of(URI.create("ftp://a:21")), e -> true))
                .hasMessageContaining("http(s)://host:port").hasMessageContaining("ftp://a:21");
    }
}
