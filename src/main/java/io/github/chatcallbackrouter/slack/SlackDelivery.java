package io.github.chatcallbackrouter.slack;

import io.github.chatcallbackrouter.journal.Spooled;

/**
 * One message waiting to be posted to a Slack webhook; kept in the Slack outbox until Slack took it or it was
 * dead-lettered.
 *
 * @param message the rendered Slack JSON, exactly what is posted (and replayed)
 * @param subject one line saying what it is, for logs and dead letters
 */
public record SlackDelivery(String id, String webhookUrl, String message, String subject, String createdAt)
        implements Spooled {

    /** Without the webhook's secret path: Camel prints the body of a failed exchange in its own log lines. */
    @Override
    public String toString() {
        return "SlackDelivery[id=" + id + ", webhook=" + SlackWebhook.redact(webhookUrl) + ", subject=" + subject
                + "]";
    }
}
