package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A URL in a log line or explain's output keeps its scheme, host and first two path segments, never more. */
class RedactTest {

    @ParameterizedTest
    @CsvSource({
        "https://hooks.slack.com/services/T000/B000/secret, https://hooks.slack.com/services/T000/…",
        "http://backend.example/cb,                          http://backend.example/…",
        "http://backend.example/tencent/callback?token=x,    http://backend.example/…",
        "http://backend.example,                             http://backend.example",
    })
    void keepsTheHostAndHidesTheRest(String url, String shown) {
        assertThat(Destination.redact(url)).isEqualTo(shown);
    }
}
