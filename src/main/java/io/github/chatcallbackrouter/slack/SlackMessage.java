package io.github.chatcallbackrouter.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Renders an {@link Alert} as a Slack incoming-webhook message: Block Kit blocks with Slack's snake_case keys
 * (header, the fields an on-call engineer needs, a context line) and a top-level {@code text} fallback for
 * notifications and clients that show no blocks. Everything taken from a callback is escaped, so a payload
 * cannot ping {@code <!channel>} or forge a link.
 */
public final class SlackMessage {

    /** Slack's limits: header text 150 characters, section field text 2000, top-level text 3000 (shown). */
    private static final int HEADER_MAX = 150;
    private static final int FIELD_MAX = 2000;
    private static final int TEXT_MAX = 3000;
    /** Text from a callback (an API name, say) is cut to this before it goes into a field. */
    private static final int VALUE_MAX = 500;

    private SlackMessage() {
    }

    /** The message for one alert; {@code mention} (a channel's, such as {@code <!subteam^S0123ABCD>}) may be empty. */
    public static String render(Alert alert, String mention) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        // a mention notifies only from the text of a message or a block, never from a header
        String mentioned = mention == null || mention.isEmpty() ? "" : mention + " ";
        message.put("text", Text.truncate(mentioned + fallbackText(alert), TEXT_MAX));
        ArrayNode blocks = message.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", Text.truncate(emoji(alert) + " " + alert.title(), HEADER_MAX))
                .put("emoji", true);
        if (!mentioned.isEmpty()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mention);
        }

        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        if (alert.api() != null) {
            field(fields, "API", code(alert.api())
                    + (alert.apiName() == null ? " (not in the catalog)" : "\n" + escape(alert.apiName())));
        } else {
            field(fields, "Alarm", escape(value(alert.command())));
        }
        field(fields, alert.api() != null ? "Observed" : "Used", quantity(alert.observed(), alert.unit()));
        field(fields, "Limit", quantity(alert.limit(), alert.unit())
                + (alert.documentedLimit() == null ? "" : " (docs: " + escape(alert.documentedLimit()) + ")"));
        field(fields, "Usage", alert.usagePercent() == null ? "unknown"
                : "*" + AlertClassifier.formatPercent(alert.usagePercent()) + "*");
        field(fields, "Severity", emoji(alert) + " " + alert.severity());
        String app = alert.origin() == null || alert.origin().app() == null
                || alert.origin().app().equals(alert.sdkAppId()) ? escape(alert.sdkAppId())
                : escape(value(alert.origin().app())) + " (SDKAppID " + escape(alert.sdkAppId()) + ")";
        field(fields, "App", app);
        field(fields, "Time", slackDate(alert.receivedAt()));
        if (alert.origin() != null && alert.origin().platform() != null) {
            field(fields, "From", escape(value(alert.origin().platform()))
                    + (alert.origin().clientIp() == null ? "" : ", " + escape(value(alert.origin().clientIp()))));
        }
        if (alert.numberProblem() != null) {
            field(fields, "Numbers", ":warning: " + escape(alert.numberProblem()));
        }

        blocks.addObject().put("type", "context").putArray("elements").addObject()
                .put("type", "mrkdwn")
                .put("text", Text.truncate("Tencent Cloud Chat " + code(alert.command()) + " · event " + alert.eventId(),
                        FIELD_MAX));
        return message.toString();
    }

    /** The follow-up at the end of a window: how many more came, the peak, first and last time. */
    public static String renderSummary(AlertGroup group) {
        String more = group.repeats() + " more " + (group.repeats() == 1 ? "alarm" : "alarms");
        String peak = group.peakObserved() == null ? "" : ", peak " + group.peakObserved() + " " + group.unit();
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("text", Text.truncate(escape(more + " for " + value(group.what()) + peak + ", SDKAppID "
                + group.sdkAppId()), TEXT_MAX));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", Text.truncate(":repeat: *" + more + "* since the first: " + escape(value(group.title())),
                        FIELD_MAX));
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "API", code(group.what()));
        field(fields, "Repeats", String.valueOf(group.repeats()));
        field(fields, "Peak", quantity(group.peakObserved(), group.unit()));
        field(fields, "SDKAppID", escape(group.sdkAppId()));
        field(fields, "First", slackDate(group.firstAt()));
        field(fields, "Last", slackDate(group.lastAt()));
        return message.toString();
    }

    /** When a silence ends: how many alarms it hid from this channel, what it matched, why, the peak and when. */
    public static String renderSilenceSummary(SilencedAlarms hidden) {
        String count = hidden.count() + " " + (hidden.count() == 1 ? "alarm" : "alarms");
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("text", Text.truncate(escape("Silence " + hidden.silenceId() + " ended: it hid " + count + " ("
                + value(hidden.matchers()) + ")"), TEXT_MAX));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", Text.truncate(":mute: *Silence " + escape(hidden.silenceId()) + " ended:* it hid "
                        + count + ". Alarms that match it are posted again.", FIELD_MAX));
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "Matched", escape(value(hidden.matchers())));
        field(fields, "Reason", escape(value(hidden.reason())));
        field(fields, "Hidden", String.valueOf(hidden.count()));
        field(fields, "Peak", quantity(hidden.peakObserved(), hidden.unit()));
        field(fields, "First", slackDate(hidden.firstAt()));
        field(fields, "Last", slackDate(hidden.lastAt()));
        return message.toString();
    }

    /** What a phone notification shows: severity, what, how much, which app. */
    static String fallbackText(Alert alert) {
        String what = alert.api() != null ? alert.api() : alert.command();
        String usage = alert.usagePercent() == null ? "" : " at " + AlertClassifier.formatPercent(alert.usagePercent());
        String numbers = alert.observed() == null || alert.limit() == null ? ""
                : " (" + alert.observed() + " of " + alert.limit() + " " + alert.unit() + ")";
        return escape(alert.severity().toUpperCase(java.util.Locale.ROOT) + ": " + value(what) + usage + numbers
                + ", SDKAppID " + alert.sdkAppId());
    }

    private static String emoji(Alert alert) {
        return "critical".equals(alert.severity()) ? ":red_circle:" : ":large_orange_circle:";
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", Text.truncate("*" + name + "*\n" + value, FIELD_MAX));
    }

    private static String quantity(Long value, String unit) {
        return value == null ? "unknown" : value + " " + unit;
    }

    /** Slack shows the time in each reader's own time zone; the fallback is the UTC instant. */
    private static String slackDate(String isoInstant) {
        try {
            long epoch = Instant.parse(isoInstant).getEpochSecond();
            return "<!date^" + epoch + "^{date_short_pretty} {time_secs}|" + isoInstant + ">";
        } catch (DateTimeParseException | NullPointerException e) {
            return escape(String.valueOf(isoInstant));
        }
    }

    /** Slack's three control characters in text (https://api.slack.com/reference/surfaces/formatting#escaping). */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Text from a callback in a code span: escaped, and with its backticks made look-alikes (U+02CB), because
     * Slack has no escape for a backtick and one would close the span early.
     */
    static String code(String text) {
        return "`" + escape(value(text)).replace('`', '\u02CB') + "`";
    }

    /** A value from a callback, cut to a length that leaves room for the rest of the field. */
    private static String value(String text) {
        return text == null ? "" : Text.truncate(text, VALUE_MAX);
    }

}
