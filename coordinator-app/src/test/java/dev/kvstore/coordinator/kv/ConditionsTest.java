package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.coordinator.txn.Precondition;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void headersMapToConditions() {
        assertThat(Conditions.parse(null, null)).isEqualTo(Precondition.NONE);
        assertThat(Conditions.parse(null, "*")).isEqualTo(new Precondition.MustBeAbsent());
        assertThat(Conditions.parse("*", null)).isEqualTo(new Precondition.MustExist());
        assertThat(Conditions.parse("\"17\"", null)).isEqualTo(new Precondition.MustMatch(17));
        assertThat(Conditions.parse("17", null)).isEqualTo(new Precondition.MustMatch(17));
        assertThat(Conditions.parse("W/\"17\"", null)).isEqualTo(new Precondition.MustMatch(17));
    }

    @Test
    void unusableHeadersAreRejectedWithWhatToSend() {
        assertThatThrownBy(() -> Conditions.parse("\"abc\"", null)).hasMessageContaining("like \"17\"");
        assertThatThrownBy(() -> Conditions.parse("\"0\"", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Conditions.parse("\"1\", \"2\"", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Conditions.parse(null, "\"3\"")).hasMessageContaining("only *");
        assertThatThrownBy(() -> Conditions.parse("*", "*")).hasMessageContaining("not both");
    }

    /** Found by RequestParsingFuzzTest: Long.parseLong read NKo digit three as version 3. */
    @Test
    void versionsAreAsciiDigitsOnly() {
        assertThatThrownBy(() -> Conditions.parse("\"\u07c3\"", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Conditions.parse("\"\u0663\"", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Conditions.parse("\"+17\"", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Conditions.parse("\"99999999999999999999\"", null))
                .isInstanceOf(InvalidRequestException.class);
    }
}
