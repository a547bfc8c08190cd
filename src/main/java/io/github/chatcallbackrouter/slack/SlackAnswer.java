package io.github.chatcallbackrouter.slack;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What a failed post means, from Slack's answer: rate limited (wait Retry-After), Slack or the network failing
 * (retry with backoff), or Slack refusing the message for good (dead letter at once).
 */
public record SlackAnswer(Kind kind, String description, Long retryAfterMillis) {

    public enum Kind {
        RATE_LIMITED, SERVER_ERROR, UNREACHABLE, REFUSED;

        public boolean retryable() {
            return this != REFUSED;
        }
    }

    public static SlackAnswer of(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            String description = "HTTP " + status + " " + String.valueOf(http.getResponseBody()).strip();
            if (status == 429) {
                return new SlackAnswer(Kind.RATE_LIMITED, description, retryAfter(http.getResponseHeaders()));
            }
            return new SlackAnswer(status >= 500 ? Kind.SERVER_ERROR : Kind.REFUSED, description, null);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return new SlackAnswer(Kind.UNREACHABLE, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        null);
            }
        }
        return new SlackAnswer(Kind.REFUSED, String.valueOf(failure), null);
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
