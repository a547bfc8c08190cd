package io.github.chatcallbackrouter.slack;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
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
        return redact(url);
    }

    /**
     * A webhook URL fit for a log line: scheme, host and the first two path segments, the rest (the secret) hidden.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int pathStart = url.indexOf('/', url.indexOf("//") + 2);
        if (pathStart < 0) {
            return url;
        }
        int secretStart = url.indexOf('/', url.indexOf('/', pathStart + 1) + 1);
        return (secretStart < 0 ? url.substring(0, pathStart + 1) : url.substring(0, secretStart + 1)) + "…";
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
    public SlackDelivery deliveryOf(Alert alert, String webhookUrl) {
        return new SlackDelivery(alert.eventId() + "-slack", webhookUrl, SlackMessage.render(alert),
                LogText.of(alert.title()),
                Instant.now().toString());
    }

    /** The delivery of a group's summary, to where its first alarm went. */
    public SlackDelivery summaryOf(AlertGroup group) {
        return new SlackDelivery(group.firstEventId() + "-summary", group.webhookUrl(),
                SlackMessage.renderSummary(group), LogText.of(group.repeats() + " more: " + group.title()),
                Instant.now().toString());
    }
}
