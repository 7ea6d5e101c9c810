package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.model.Keys;
import java.nio.charset.StandardCharsets;
import org.springframework.web.util.UriUtils;

/**
 * The coordinator's parsing of what a client controls in a /kv request besides the body: the key and
 * the condition headers. Either a valid key and condition, or an {@link InvalidRequestException}
 * whose message says what to fix; nothing else.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs in {@code RequestParsingFuzzTestInputs/}; to
 * fuzz, see the README ("Bad input and limits").
 */
class RequestParsingFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void conditionHeadersParseOrAreRefusedSayingWhy(FuzzedDataProvider data) {
        String ifMatch = data.consumeBoolean() ? data.consumeString(64) : null;
        String ifNoneMatch = data.consumeBoolean() ? data.consumeString(16) : null;
        Precondition condition;
        try {
            condition = Conditions.parse(ifMatch, ifNoneMatch);
        } catch (InvalidRequestException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        switch (condition) {
            case Precondition.None none -> assertThat(ifMatch).isNull();
            case Precondition.MustBeAbsent absent -> assertThat(ifNoneMatch.strip()).isEqualTo("*");
            case Precondition.MustExist exists -> assertThat(ifMatch.strip()).isEqualTo("*");
            case Precondition.MustMatch match -> {
                assertThat(match.version()).isPositive();
                assertThat(ifMatch).contains(Long.toString(match.version()));
            }
        }
    }

    /** A key is valid exactly when it is 1 to 1024 bytes of UTF-8, and its Location names it again. */
    @FuzzTest(maxDuration = "5s")
    void keysAreValidatedByTheirUtf8LengthAndRoundTripThroughTheirLocation(FuzzedDataProvider data) {
        String key = data.consumeRemainingAsString();
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);

        String problem = Keys.problem(key);

        assertThat(problem == null).isEqualTo(utf8.length >= 1 && utf8.length <= Keys.MAX_KEY_BYTES);
        if (problem == null && wellFormed(key)) {
            String location = UriUtils.encodePath(key, StandardCharsets.UTF_8);
            assertThat(UriUtils.decode(location, StandardCharsets.UTF_8)).isEqualTo(key);
        }
    }

    /** Keys reach the coordinator decoded from UTF-8, so they never hold an unpaired surrogate. */
    private static boolean wellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }
}
