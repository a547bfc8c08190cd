package io.github.chatcallbackrouter.slack;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Destination;
import io.github.chatcallbackrouter.support.LogText;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Slack incoming webhook, if any. It says at start-up where alerts go, without printing the
 * webhook's secret path.
 */
public final class SlackWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(SlackWebhook.class);

    /** The name of Slack's {@link Destination} (slack.camel.yaml): its pacing and retries. */
    public static final String DESTINATION = "slack";

    private String url = "";

    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
        if (!this.url.isEmpty() && !this.url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new IllegalArgumentException("slack.webhook-url: '" + redacted() + "' is not an http(s) URL");
        }
    }

    /** The webhook URL, empty when Slack is off. */
    public String url() {
        return url;
    }

    public boolean isConfigured() {
        return !url.isEmpty();
    }

    /** The URL with its secret path hidden: {@code https://hooks.slack.com/services/T0/…}. */
    public String redacted() {
        return Destination.redact(url);
    }

    /** Says where alerts go; called once at start-up by the slack-status route. */
    public void announce() {
        if (isConfigured()) {
            LOG.info("Slack is on: alerts are posted to {}", redacted());
        } else {
            LOG.info("Slack is off: alerts go to the alert file only. To post them to Slack, set SLACK_WEBHOOK_URL"
                    + " (or slack.webhook-url in application.properties) to an incoming-webhook URL.");
        }
    }

    /** The delivery of one alert to the given webhook (a rule's choice) or else the configured one. */
    public Delivery deliveryOf(Alert alert, String webhookUrl) {
        return delivery(alert.eventId() + "-slack", webhookUrl, SlackMessage.render(alert), alert.title());
    }

    /** The delivery of a group's summary, to where its first alarm went. */
    public Delivery summaryOf(AlertGroup group) {
        return delivery(group.firstEventId() + "-summary", group.webhookUrl(), SlackMessage.renderSummary(group),
                group.repeats() + " more: " + group.title());
    }

    private static Delivery delivery(String id, String webhookUrl, String message, String subject) {
        return new Delivery(id, DESTINATION, webhookUrl, null, false, message, "application/json; charset=utf-8",
                false, LogText.of(subject), Instant.now().toString());
    }
}
