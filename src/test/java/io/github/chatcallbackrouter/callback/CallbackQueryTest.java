package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query Chat appends, read from the raw string: names in any case, one value each, encoding checked. */
class CallbackQueryTest {

    @ParameterizedTest(name = "{0} -> {1}={2}")
    @CsvSource(nullValues = "null", delimiter = '|', value = {
        "SdkAppid=1400000000&CallbackCommand=State.StateChange | SdkAppid        | 1400000000",
        "sdkappid=1400000000                                   | SdkAppid        | 1400000000",
        "SdkAppid=1&SdkAppid=1                                 | SdkAppid        | 1",
        "CallbackCommand=                                      | CallbackCommand | null",
        "CallbackCommand                                       | CallbackCommand | null",
        "a=1                                                   | CallbackCommand | null",
        "Sign=a%2Bb&x=1                                        | Sign            | a+b",
        "ClientIP=10.0.0.7&&&OptPlatform=iOS                   | OptPlatform     | iOS",
        "                                                      | SdkAppid        | null",
    })
    void aParameterIsReadOnce(String raw, String name, String value) {
        assertThat(CallbackQuery.parse(raw == null ? "" : raw).single(name)).isEqualTo(value);
    }

    @Test
    void aParameterGivenTwiceWithDifferentValuesIsRefused() {
        CallbackQuery query = CallbackQuery.parse("SdkAppid=1400000000&sdkappid=1400000001");

        assertThatThrownBy(() -> query.single("SdkAppid")).isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("query parameter SdkAppid is given more than once with different values");
        assertThat(query.first("SdkAppid")).isEqualTo("1400000000");
    }

    @Test
    void badPercentEncodingIsRefused() {
        assertThatThrownBy(() -> CallbackQuery.parse("Sign=%zz")).isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("query string is not valid URL encoding");
    }
}
