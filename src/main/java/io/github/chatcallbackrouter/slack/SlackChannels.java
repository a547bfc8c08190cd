package io.github.chatcallbackrouter.slack;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Destination;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.SettingsListener;
import io.github.chatcallbackrouter.support.Urls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack channels alerts can go to, each an incoming webhook declared once in the settings: the default one
 * ({@code slack.webhook-url}, what {@code direct:slack} posts to) and the named ones a rule picks with
 * {@code to: slack-channel:NAME} ({@code slack.channels.NAME.webhook-url}, with an optional
 * {@code slack.channels.NAME.mention} such as {@code <!subteam^S0123ABCD>}). A channel without a URL is off.
 * Nothing here prints a webhook's secret path.
 */
public final class SlackChannels implements CamelContextAware, SettingsListener {

    private static final Logger LOG = LoggerFactory.getLogger(SlackChannels.class);

    /**
     * The name of Slack's {@link Destination} (slack.camel.yaml): its pacing and retries; a named channel's posts
     * go to {@code slack:NAME}.
     */
    public static final String DESTINATION = "slack";
    /** The channel of slack.webhook-url, and of a rule that names none. */
    public static final String DEFAULT = "default";

    private static final String PREFIX = "slack.channels.";
    private static final Pattern CHANNEL_SETTING = Pattern.compile(Pattern.quote(PREFIX)
            + "([a-z0-9][a-z0-9_-]*)\\.(webhook-url|mention)");
    /** User groups, users, @here and @channel, as Slack writes them (api.slack.com/reference/surfaces/formatting). */
    private static final Pattern MENTIONS = Pattern.compile("(<(!subteam\\^[A-Z0-9]+|@[UW][A-Z0-9]+|!here|!channel)>\\s*)+");

    /** One channel: where it posts, and whom its alerts mention (empty: nobody). */
    public record Channel(String name, String url, String mention) {

        public boolean isOn() {
            return !url.isEmpty();
        }
    }

    private CamelContext camelContext;
    private String defaultUrl = "";
    private volatile Map<String, Channel> channels;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Reads and checks every channel's settings: a bad URL or mention stops the start (validate names it). */
    public void check() {
        channels();
    }

    /** The channels are read again: a reload declared or changed some. */
    @Override
    public void settingsReloaded() {
        channels = null;
        defaultUrl = checkedUrl("slack.webhook-url", camelContext.resolvePropertyPlaceholders("{{slack.webhook-url}}"));
    }

    /** The default channel's webhook (slack.webhook-url); empty turns it off. */
    public void setUrl(String url) {
        this.defaultUrl = checkedUrl("slack.webhook-url", url);
        this.channels = null;
    }

    /** The channel of this name (null: the default one); a name the settings do not declare is a mistake in a rule. */
    public Channel channel(String name) {
        String wanted = name == null || name.isEmpty() ? DEFAULT : name;
        Channel channel = channels().get(wanted);
        if (channel == null) {
            throw new IllegalArgumentException("Slack channel '" + wanted + "' is not declared: set " + PREFIX
                    + wanted + ".webhook-url in application.properties (declared: "
                    + String.join(", ", channels().keySet()) + ")");
        }
        return channel;
    }

    /**
     * Whether alerts for this channel are posted: it has a webhook. A channel no longer declared (a group's, from
     * before a restart with other settings) is off, and said so.
     */
    public boolean isOn(String name) {
        try {
            return channel(name).isOn();
        } catch (IllegalArgumentException undeclared) {
            LOG.warn("Not posted to Slack: {}", undeclared.getMessage());
            return false;
        }
    }

    /** The delivery of one alert to a channel; each channel's has its own id, so two channels get one post each. */
    public Delivery deliveryOf(Alert alert, String name) {
        Channel channel = channel(name);
        return delivery(channel, alert.eventId() + "-slack" + suffix(channel.name()),
                SlackMessage.render(alert, channel.mention()), alert.title());
    }

    /** The delivery of a group's summary, to the channel its first alarm went to. */
    public Delivery summaryOf(AlertGroup group) {
        Channel channel = channel(group.channelName());
        return delivery(channel, group.firstEventId() + "-summary" + suffix(channel.name()),
                SlackMessage.renderSummary(group), group.repeats() + " more: " + group.title());
    }

    /** The summary of what a silence hid from a channel, posted there when the silence ends. */
    public Delivery silenceSummaryOf(SilencedAlarms hidden) {
        Channel channel = channel(hidden.channel());
        return delivery(channel, "silence-" + hidden.id(), SlackMessage.renderSilenceSummary(hidden),
                "silence " + hidden.silenceId() + " ended: " + hidden.count() + " hidden");
    }

    /** Where alerts go, a line per channel, for the start-up summary; no webhook's secret path. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Channel channel : channels().values()) {
            if (channel.isOn() && channel.name().equals(DEFAULT)) {
                lines.add("Slack is on: alerts are posted to " + Urls.redact(channel.url()));
            } else if (channel.isOn()) {
                lines.add("Slack channel " + channel.name() + " is on: its alerts are posted to "
                        + Urls.redact(channel.url()));
            } else if (channel.name().equals(DEFAULT)) {
                lines.add("Slack is off: alerts go to the alert file only. To post them to Slack, set SLACK_WEBHOOK_URL"
                        + " (or slack.webhook-url in application.properties) to an incoming-webhook URL.");
            } else {
                lines.add("Slack channel " + channel.name() + " is off: " + PREFIX + channel.name()
                        + ".webhook-url is empty");
            }
        }
        return lines;
    }

    private static String suffix(String channel) {
        return channel.equals(DEFAULT) ? "" : "-" + channel;
    }

    private Map<String, Channel> channels() {
        Map<String, Channel> known = channels;
        if (known == null) {
            known = new TreeMap<>();
            known.put(DEFAULT, new Channel(DEFAULT, defaultUrl, ""));
            if (camelContext == null) {
                return known; // not yet in a router: only the default channel is known, and not kept
            }
            for (Object key : camelContext.getPropertiesComponent().loadProperties(k -> k.startsWith(PREFIX)).keySet()) {
                declare(known, key.toString());
            }
            channels = known;
        }
        return known;
    }

    private void declare(Map<String, Channel> known, String key) {
        Matcher setting = CHANNEL_SETTING.matcher(key);
        if (!setting.matches()) {
            throw new IllegalArgumentException(key + ": not a channel setting; declare a channel with " + PREFIX
                    + "NAME.webhook-url (NAME in lower case: letters, digits, - and _) and optionally "
                    + PREFIX + "NAME.mention");
        }
        String name = setting.group(1);
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException(key + ": the default channel is slack.webhook-url");
        }
        String value = camelContext.resolvePropertyPlaceholders("{{" + key + "}}").trim();
        Channel channel = known.getOrDefault(name, new Channel(name, "", ""));
        if (setting.group(2).equals("webhook-url")) {
            channel = new Channel(name, checkedUrl(key, value), channel.mention());
        } else {
            if (!value.isEmpty() && !MENTIONS.matcher(value).matches()) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not a Slack mention such as"
                        + " <!subteam^S0123ABCD> (a user group), <@U0123ABCD> (a user), <!here> or <!channel>");
            }
            channel = new Channel(name, channel.url(), value);
        }
        known.put(name, channel);
    }

    private static String checkedUrl(String key, String url) {
        String trimmed = url == null ? "" : url.trim();
        if (!trimmed.isEmpty() && Urls.problem(trimmed) != null) {
            throw new IllegalArgumentException(key + ": '" + Urls.redact(trimmed) + "' " + Urls.problem(trimmed));
        }
        return trimmed;
    }

    /** A post to a channel, in the channel's own lane: destination slack (the default) or slack:NAME. */
    private static Delivery delivery(Channel channel, String id, String message, String subject) {
        return new Delivery(id, DESTINATION + (channel.name().equals(DEFAULT) ? "" : ":" + channel.name()),
                channel.url(), null, false, message, "application/json; charset=utf-8", false, LogText.of(subject),
                Instant.now().toString(), true);
    }
}
