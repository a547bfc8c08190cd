package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.delivery.DeliveryAnswer.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of answer a destination gives, and what it means for the delivery. */
class DeliveryAnswerTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("429 with Retry-After", http(429, Map.of("Retry-After", "30"), "rate_limited"),
                        Kind.RATE_LIMITED, 30_000L, "HTTP 429 rate_limited"),
                Arguments.of("429, header in lower case", http(429, Map.of("retry-after", "2"), ""),
                        Kind.RATE_LIMITED, 2_000L, "HTTP 429"),
                Arguments.of("429 without Retry-After", http(429, Map.of(), ""), Kind.RATE_LIMITED, 1_000L, "HTTP 429"),
                Arguments.of("429, Retry-After not a number", http(429, Map.of("Retry-After", "soon"), ""),
                        Kind.RATE_LIMITED, 1_000L, "HTTP 429"),
                Arguments.of("500", http(500, Map.of(), "rollup_error"), Kind.SERVER_ERROR, null, "HTTP 500 rollup_error"),
                Arguments.of("503", http(503, Map.of(), ""), Kind.SERVER_ERROR, null, "HTTP 503"),
                Arguments.of("404 no_service", http(404, Map.of(), "no_service"), Kind.REFUSED, null,
                        "HTTP 404 no_service"),
                Arguments.of("400 invalid_payload", http(400, Map.of(), "invalid_payload"), Kind.REFUSED, null,
                        "HTTP 400 invalid_payload"),
                Arguments.of("403 action_prohibited", http(403, Map.of(), "action_prohibited"), Kind.REFUSED, null,
                        "HTTP 403 action_prohibited"),
                Arguments.of("connection refused", new ConnectException("Connection refused"), Kind.UNREACHABLE, null,
                        "ConnectException: Connection refused"),
                Arguments.of("a timeout, wrapped", new RuntimeException(new SocketTimeoutException("Read timed out")),
                        Kind.UNREACHABLE, null, "SocketTimeoutException: Read timed out"),
                Arguments.of("anything else", new IllegalStateException("bad"), Kind.REFUSED, null,
                        "IllegalStateException: bad"),
                Arguments.of("nothing at all", null, Kind.REFUSED, null, "unknown"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void eachAnswerHasItsMeaning(String name, Throwable failure, Kind kind, Long retryAfter, String description) {
        DeliveryAnswer answer = DeliveryAnswer.of(failure);

        assertThat(answer.kind()).isEqualTo(kind);
        assertThat(answer.retryAfterMillis()).isEqualTo(retryAfter);
        assertThat(answer.description()).startsWith(description);
        assertThat(answer.kind().retryable()).isEqualTo(kind != Kind.REFUSED);
    }

    private static HttpOperationFailedException http(int status, Map<String, String> headers, String body) {
        return new HttpOperationFailedException("https://hooks.slack.com/services/T0/B0/x", status, "status", null,
                headers, body);
    }
}
