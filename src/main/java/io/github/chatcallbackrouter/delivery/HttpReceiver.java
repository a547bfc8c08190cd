package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.support.LogText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A receiver that speaks plain HTTP: Slack's incoming webhooks, the app's backend, any endpoint a rule forwards to.
 * The body is posted as it is; a relayed callback's query gets a fresh {@code RequestTime} and {@code Sign} at each
 * try, so a late relay passes the receiver's own freshness check.
 *
 * <p>Its answer, by status: 2xx delivered; 429 waits what {@code Retry-After} says (seconds or an HTTP date), or
 * backs off when it says nothing; 408, 425 and 5xx are tried again; any other status is a refusal for good, dead
 * lettered with the receiver's own words (Slack's {@code invalid_payload}, {@code channel_not_found}, ...).
 */
public class HttpReceiver implements Receiver {

    private static final long MAX_RETRY_AFTER_MILLIS = Duration.ofHours(1).toMillis();

    private final String signingToken;
    private final String authorization;

    /**
     * @param signingToken  the callback token that relayed callbacks are signed again with; empty: none
     * @param authorization the Authorization header of every post; empty: none
     */
    public HttpReceiver(String signingToken, String authorization) {
        this.signingToken = signingToken == null ? "" : signingToken.trim();
        this.authorization = authorization == null ? "" : authorization.trim();
    }

    @Override
    public Request format(Delivery delivery, Instant now) {
        String query = delivery.query();
        if (query != null && delivery.signed()) {
            query = CallbackSignature.resign(query, signingToken(delivery), now.getEpochSecond());
        }
        String url = query == null || query.isEmpty() ? delivery.url() : delivery.url() + "?" + query;
        String authorization = authorization(delivery);
        Map<String, String> headers = authorization.isEmpty() ? Map.of("Content-Type", delivery.contentType())
                : Map.of("Content-Type", delivery.contentType(), "Authorization", authorization);
        return new Request(url, headers, delivery.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The token a relayed callback of this delivery is signed again with; empty: none. */
    protected String signingToken(Delivery delivery) {
        return signingToken;
    }

    /** The Authorization header of this delivery's posts; empty: none. */
    protected String authorization(Delivery delivery) {
        return authorization;
    }

    @Override
    public Verdict judge(Answer answer) {
        int status = answer.status();
        String said = describe(answer);
        if (status >= 200 && status < 300) {
            return Verdict.delivered(said);
        }
        if (status == 429) {
            long wait = retryAfterMillis(answer.header("retry-after"));
            return wait > 0 ? Verdict.rateLimited(wait, said) : Verdict.retry(said);
        }
        if (status == 408 || status == 425 || status >= 500) {
            return Verdict.retry(said);
        }
        return Verdict.refused(said);
    }

    /** "HTTP 404 channel_not_found": the status and the receiver's words, on one line. */
    protected static String describe(Answer answer) {
        String body = answer.body() == null ? "" : answer.body().strip();
        return "HTTP " + answer.status() + (body.isEmpty() ? "" : " " + LogText.of(body));
    }

    /** Retry-After as delta-seconds or an HTTP date, capped at an hour; 0 when absent or unreadable. */
    protected static long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String trimmed = value.trim();
        try {
            return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, Long.parseLong(trimmed)) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                long millis = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                        .toEpochMilli() - System.currentTimeMillis();
                return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, millis));
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }
}
