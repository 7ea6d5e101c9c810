package dev.kvstore.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

class JsonBodyProblemsTest {

    enum Color { RED, GREEN }

    record Range(long from, long to) {
    }

    record Body(String name, Color color, long version, byte[] value, List<Range> ranges, List<String> tags) {
        Body {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    private static final JsonMapper mapper = JsonMapper.builder().build();

    private static String detail(String json) {
        Throwable e = catchThrowable(() -> mapper.readValue(json, Body.class));
        assertThat(e).as("Jackson refuses %s", json).isNotNull();
        return JsonBodyProblems.describe(e).getDetail();
    }

    @Test
    void malformedJsonSaysWhereItBroke() {
        assertThat(detail("{\"name\": ")).startsWith("the body is not valid JSON").contains("line 1, column");
    }

    @Test
    void unknownEnumValueListsTheAcceptedOnes() {
        assertThat(detail("{\"color\":\"BLUE\"}")).isEqualTo("'color' must be one of RED, GREEN, not \"BLUE\"");
    }

    @Test
    void wrongScalarNamesTheFieldAndWhatItMustBe() {
        assertThat(detail("{\"version\":\"soon\"}")).isEqualTo("'version' must be a whole number, not \"soon\"");
    }

    @Test
    void missingPrimitiveIsRequiredNotAJacksonSetting() {
        assertThat(detail("{\"version\":null}")).isEqualTo("'version' is required: a whole number")
                .doesNotContain("DeserializationFeature");
    }

    @Test
    void nestedFieldsAreNamedWithTheirPath() {
        assertThat(detail("{\"ranges\":[{\"from\":1,\"to\":\"x\"}]}")).startsWith("'ranges[0].to' must be a whole number");
    }

    @Test
    void wrongStructureNamesWhatWasSent() {
        assertThat(detail("{\"ranges\":5}")).isEqualTo("'ranges' must be an array, not a whole number");
        assertThat(detail("[]")).startsWith("the body must be an object");
    }

    @Test
    void invalidBase64SaysBase64() {
        assertThat(detail("{\"value\":\"!!!\"}")).startsWith("'value' must be a base64 string");
    }

    @Test
    void nullInAListTheRecordRefusesIsExplained() {
        assertThat(detail("{\"version\":1,\"tags\":[null]}")).contains("a list holds null");
    }

    @Test
    void bodyPastTheLimitWhileParsingIs413() {
        ProblemDetail problem = JsonBodyProblems.describe(JacksonIOException.construct(new BodyTooLargeException(64)));

        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).contains("limit of 64 bytes");
    }

    @Test
    void bodyThatIsNoJsonAtAllAsksForAJsonObject() {
        assertThat(JsonBodyProblems.describe(new IllegalStateException("Required request body is missing")).getDetail())
                .contains("expects a JSON object");
    }
}
