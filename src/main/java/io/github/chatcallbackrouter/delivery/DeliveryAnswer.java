package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.support.LogText;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What a failed post means, from the destination's answer: rate limited (429: wait Retry-After), the destination
 * or the network failing (5xx, timeout, refused connection: retry with backoff), or the message refused for good
 * (any other answer: dead letter at once). Slack, the app's backend and any HTTP endpoint are read the same way.
 */
public record DeliveryAnswer(Kind kind, String description, Long retryAfterMillis) {

    public enum Kind {
        RATE_LIMITED, SERVER_ERROR, UNREACHABLE, REFUSED;

        public boolean retryable() {
            return this != REFUSED;
        }
    }

    public static DeliveryAnswer of(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            String description = "HTTP " + status + " " + LogText.of(String.valueOf(http.getResponseBody()).strip());
            if (status == 429) {
                return new DeliveryAnswer(Kind.RATE_LIMITED, description, retryAfter(http.getResponseHeaders()));
            }
            return new DeliveryAnswer(status >= 500 ? Kind.SERVER_ERROR : Kind.REFUSED, description, null);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return new DeliveryAnswer(Kind.UNREACHABLE,
                        LogText.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()), null);
            }
        }
        return new DeliveryAnswer(Kind.REFUSED, failure == null ? "unknown"
                : LogText.of(failure.getClass().getSimpleName() + ": " + failure.getMessage()), null);
    }

    /** Retry-After in seconds (Slack's form); 1 s when missing or not a number. */
    private static Long retryAfter(Map<String, String> headers) {
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey().toLowerCase(Locale.ROOT).equals("retry-after")) {
                    try {
                        return Math.max(0, Long.parseLong(header.getValue().trim())) * 1000;
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        return 1000L;
    }
}
