package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A plain HTTP receiver's answers, as Slack and the app's backend give them, and the request of each try. */
class HttpReceiverTest {

    private final HttpReceiver receiver = new HttpReceiver("the-token", "");

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
        "200, ok, DELIVERED, HTTP 200 ok",
        "204, '', DELIVERED, HTTP 204",
        "400, invalid_payload, REFUSED, HTTP 400 invalid_payload",
        "403, action_prohibited, REFUSED, HTTP 403 action_prohibited",
        "404, channel_not_found, REFUSED, HTTP 404 channel_not_found",
        "410, channel_is_archived, REFUSED, HTTP 410 channel_is_archived",
        "408, '', RETRY, HTTP 408",
        "425, '', RETRY, HTTP 425",
        "429, rate_limited, RETRY, HTTP 429 rate_limited",
        "500, rollup_error, RETRY, HTTP 500 rollup_error",
        "503, '', RETRY, HTTP 503"})
    void eachAnswerMeansWhatItSays(int status, String body, Verdict.Kind kind, String said) {
        Verdict verdict = receiver.judge(new Receiver.Answer(status, Map.of(), body));

        assertThat(verdict.kind()).isEqualTo(kind);
        assertThat(verdict.answer()).isEqualTo(said);
    }

    @Test
    void aRateLimitWaitsTheSecondsOrTheDateItGives() {
        assertThat(receiver.judge(new Receiver.Answer(429, Map.of("retry-after", "7"), "")))
                .isEqualTo(Verdict.rateLimited(7000, "HTTP 429"));
        String inAMinute = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        Verdict dated = receiver.judge(new Receiver.Answer(429, Map.of("retry-after", inAMinute), ""));
        assertThat(dated.kind()).isEqualTo(Verdict.Kind.RATE_LIMITED);
        assertThat(dated.waitMillis()).isBetween(58_000L, 60_000L);
        assertThat(receiver.judge(new Receiver.Answer(429, Map.of("retry-after", "99999"), "")).waitMillis())
                .as("capped at an hour").isEqualTo(3_600_000L);
    }

    @Test
    void anUnreachableReceiverIsTriedAgain() {
        assertThat(receiver.unreachable("ConnectException: Connection refused", false).kind()).isEqualTo(Verdict.Kind.RETRY);
    }

    @Test
    void aRelayedCallbackIsSignedAfreshAtEachTryAndTheBodyIsPostedAsItIs() {
        Delivery relayed = new Delivery("e-1-upstream", "upstream", "http://backend/im", "SdkAppid=1&CallbackCommand="
                + "State.StateChange&Sign=old&RequestTime=1", true, "{\"a\":1}", "application/json", false, "s",
                "2026-12-01T00:00:00Z", false);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        Receiver.Request request = receiver.format(relayed, now);

        URI uri = URI.create(request.url());
        long time = now.getEpochSecond();
        assertThat(uri.getPath()).isEqualTo("/im");
        assertThat(uri.getQuery()).isEqualTo("SdkAppid=1&CallbackCommand=State.StateChange&Sign="
                + CallbackSignature.sign("the-token", String.valueOf(time)) + "&RequestTime=" + time);
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(request.headers()).containsEntry("Content-Type", "application/json");
    }

    @Test
    void theAuthorizationGoesWithEveryPostAndOnlyThere() {
        Delivery relayed = new Delivery("e-2-upstream", "upstream", "http://backend/im", null, false, "{}",
                "application/json", false, "s", "2026-12-01T00:00:00Z", false);

        Receiver.Request request = new HttpReceiver("", "Bearer s3cret").format(relayed, Instant.now());

        assertThat(request.headers()).containsEntry("Authorization", "Bearer s3cret");
        assertThat(receiver.format(relayed, Instant.now()).headers()).doesNotContainKey("Authorization");
    }
}
