package io.amply.ledger.hash;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JcsTest {

    @ParameterizedTest
    @ValueSource(strings = {"arrays", "french", "structures", "unicode", "values", "weird"})
    void canonicalizesTheRfcAuthorsVectorsByteForByte(String name) {
        // given
        String input = Vectors.text("jcs/input/" + name + ".json");
        String expected = Vectors.text("jcs/output/" + name + ".json");

        // when
        String canonical = Jcs.canonicalize(input);

        // then
        assertThat(canonical).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0", "-0|0", "1|1", "-1|-1", "0.1|0.1", "1e21|1e+21", "1e20|100000000000000000000",
            "123456789012345680000|123456789012345680000", "1e-6|0.000001", "1e-7|1e-7",
            "5e-324|5e-324", "1.7976931348623157e308|1.7976931348623157e+308", "9007199254740993|9007199254740992",
            "295147905179352830000|295147905179352830000", "-5e-7|-5e-7", "0.3|0.3", "1.5e300|1.5e+300"})
    void writesNumbersAsEcmaScriptDoes(String json, String expected) {
        assertThat(Jcs.canonicalize(json)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{", "[1] 2"})
    void refusesInputThatIsNotOneUnambiguousJsonValue(String json) {
        assertThatThrownBy(() -> Jcs.canonicalize(json)).isInstanceOf(IllegalArgumentException.class);
    }
}
