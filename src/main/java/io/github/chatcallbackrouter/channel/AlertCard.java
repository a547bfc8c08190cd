package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.Origin;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.support.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an alert says, before a receiver's format: a severity, a headline, the facts an on-call engineer needs
 * (API, observed, limit, usage...) and a footer. Every value taken from a callback is made inert ({@link #inert}):
 * no receiver's markup in it can mention anyone, open a link or break a code span, and it is cut to
 * {@value #VALUE_MAX} characters, so one long API name cannot crowd out the rest. The robots render this; Slack's
 * Block Kit message (slack/SlackMessage) says the same.
 *
 * @param severity critical, warning, or info (a summary)
 * @param headline one line, what a notification shows
 */
public record AlertCard(String severity, String headline, List<Fact> facts, String footer) {

    /** One fact: a name and its value, both plain text. */
    public record Fact(String name, String value) {
    }

    static final int VALUE_MAX = 500;

    /** The card of one alert. */
    public static AlertCard of(Alert alert) {
        List<Fact> facts = new ArrayList<>();
        if (alert.api() != null) {
            facts.add(new Fact("API", inert(alert.api()) + (alert.apiName() == null ? " (not in the catalog)"
                    : " (" + inert(alert.apiName()) + ")")));
        } else {
            facts.add(new Fact("Alarm", inert(alert.command())));
        }
        facts.add(new Fact(alert.api() != null ? "Observed" : "Used", quantity(alert.observed(), alert.unit())));
        facts.add(new Fact("Limit", quantity(alert.limit(), alert.unit())
                + (alert.documentedLimit() == null ? "" : " (docs: " + inert(alert.documentedLimit()) + ")")));
        facts.add(new Fact("Usage", alert.usagePercent() == null ? "unknown"
                : AlertClassifier.formatPercent(alert.usagePercent())));
        facts.add(new Fact("Severity", alert.severity()));
        facts.add(new Fact("App", app(alert)));
        facts.add(new Fact("Time", inert(alert.receivedAt())));
        String from = from(alert.origin());
        if (!from.isEmpty()) {
            facts.add(new Fact("From", from));
        }
        if (alert.numberProblem() != null) {
            facts.add(new Fact("Numbers", inert(alert.numberProblem())));
        }
        return new AlertCard(alert.severity(), alert.severity().toUpperCase(Locale.ROOT) + ": " + inert(alert.title()),
                List.copyOf(facts), "Tencent Cloud Chat " + inert(alert.command()) + " · event " + inert(alert.eventId()));
    }

    /** The follow-up at the end of a group's window: how many more came, the peak, the first and last time. */
    public static AlertCard summary(AlertGroup group) {
        String more = group.repeats() + " more " + (group.repeats() == 1 ? "alarm" : "alarms");
        return new AlertCard("info", more + " since the first: " + inert(group.title()), List.of(
                new Fact("API", inert(group.what())),
                new Fact("Repeats", String.valueOf(group.repeats())),
                new Fact("Peak", quantity(group.peakObserved(), group.unit())),
                new Fact("SDKAppID", inert(group.sdkAppId())),
                new Fact("First", inert(group.firstAt())),
                new Fact("Last", inert(group.lastAt()))),
                "Folded by alerts.group-window: one message, then this summary");
    }

    /** When a silence ends: what it hid from this channel. */
    public static AlertCard silenceSummary(SilencedAlarms hidden) {
        String count = hidden.count() + " " + (hidden.count() == 1 ? "alarm" : "alarms");
        return new AlertCard("info", "Silence " + inert(hidden.silenceId()) + " ended: it hid " + count, List.of(
                new Fact("Matched", inert(hidden.matchers())),
                new Fact("Reason", inert(hidden.reason())),
                new Fact("Hidden", String.valueOf(hidden.count())),
                new Fact("Peak", quantity(hidden.peakObserved(), hidden.unit())),
                new Fact("First", inert(hidden.firstAt())),
                new Fact("Last", inert(hidden.lastAt()))),
                "Alarms that match it are sent again");
    }

    /** Whether it pages: only a critical alarm mentions the channel's people. */
    public boolean critical() {
        return "critical".equals(severity);
    }

    /** The card as plain lines: headline, "Name: value" each, footer. */
    public String text() {
        StringBuilder text = new StringBuilder(headline);
        for (Fact fact : facts) {
            text.append('\n').append(fact.name()).append(": ").append(fact.value());
        }
        return text.append('\n').append(footer).toString();
    }

    /** 🔴 critical, 🟠 warning, 🔁 a summary. */
    public String emoji() {
        return switch (severity) {
            case "critical" -> "🔴";
            case "warning" -> "🟠";
            default -> "🔁";
        };
    }

    /**
     * Text from a callback, made inert in every receiver's markup: the characters that open a mention, a tag, a
     * link, emphasis or a code span ({@code < > [ ] * ` @}) become their full-width look-alikes, line breaks
     * become spaces, and it is cut to {@value #VALUE_MAX} characters, saying so.
     */
    static String inert(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder inert = new StringBuilder(Math.min(text.length(), VALUE_MAX + Text.CUT.length()));
        String cut = Text.truncate(text, VALUE_MAX);
        for (char c : (cut.length() < text.length() ? cut + Text.CUT.substring(1) : cut).toCharArray()) {
            inert.append(switch (c) {
                case '<' -> '＜';
                case '>' -> '＞';
                case '[' -> '［';
                case ']' -> '］';
                case '*' -> '＊';
                case '`' -> 'ˋ';
                case '@' -> '＠';
                case '\r', '\n', '\t' -> ' ';
                default -> c;
            });
        }
        return inert.toString();
    }

    /** "prod (SDKAppID 1400000101)", or the SDKAppID alone where the app is named by it. */
    static String app(Alert alert) {
        String name = alert.origin() == null ? null : alert.origin().app();
        return name == null || name.equals(alert.sdkAppId()) ? inert(alert.sdkAppId())
                : inert(name) + " (SDKAppID " + inert(alert.sdkAppId()) + ")";
    }

    /** What the query said of the call: "RESTAPI, 10.0.0.7, sent by Chat at 2026-12-01T10:00:00Z"; "" when nothing. */
    static String from(Origin origin) {
        if (origin == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (origin.platform() != null) {
            parts.add(inert(origin.platform()));
        }
        if (origin.clientIp() != null) {
            parts.add(inert(origin.clientIp()));
        }
        if (origin.requestTime() != null && origin.requestTime().matches("\\d{1,12}")) {
            parts.add("sent by Chat at " + Instant.ofEpochSecond(Long.parseLong(origin.requestTime())));
        }
        return String.join(", ", parts);
    }

    private static String quantity(Long value, String unit) {
        return value == null ? "unknown" : value + " " + unit;
    }
}
