package io.github.chatcallbackrouter.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.support.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CountTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("510", 510L, null),
                Arguments.of("\"510\"", 510L, null),
                Arguments.of("\" 170 \"", 170L, null),
                Arguments.of("0", 0L, null),
                Arguments.of("9223372036854775807", Long.MAX_VALUE, null),
                Arguments.of("5.0E2", 500L, null),
                Arguments.of("null", null, null),
                Arguments.of("18446744073709551617", null, "Request is 18446744073709551617: outside 0 to "),
                Arguments.of("9223372036854775808", null, "Request is 9223372036854775808: outside 0 to "),
                Arguments.of("-5", null, "Request is -5: outside 0 to "),
                Arguments.of("\"-5\"", null, "Request is -5: outside 0 to "),
                Arguments.of("510.5", null, "Request is 510.5: not a whole number"),
                Arguments.of("\"lots\"", null, "Request is lots: not a number"),
                Arguments.of("1e999999999", null, "Request is Infinity: not a number"),
                Arguments.of("\"1e999999999\"", null, "Request is 1e999999999: outside 0 to "),
                Arguments.of("[1]", null, "Request is [1]: not a number"),
                Arguments.of("true", null, "Request is true: not a number"));
    }

    @ParameterizedTest(name = "Request: {0}")
    @MethodSource("values")
    void aCountIsAWholeNumberFromZeroToLongMaxAndNothingIsWrapped(String json, Long value, String problem)
            throws Exception {
        JsonNode payload = Json.MAPPER.readTree("{\"Request\":" + json + "}");

        Count count = Count.of(payload, "Request");

        assertThat(count.value()).isEqualTo(value);
        if (problem == null) {
            assertThat(count.problem()).isNull();
        } else {
            assertThat(count.problem()).contains(problem);
        }
    }
}
