package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Receiver;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.DidYouMean;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.SettingsListener;
import io.github.chatcallbackrouter.support.Urls;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every channel alerts can go to, each declared once in the settings and named by the rules
 * ({@code to: channel:NAME}) and by {@code alerts.channels}:
 * <ul>
 *   <li>{@code channels.NAME.type} (slack, wecom, dingtalk, feishu, lark, pagerduty, teams, webhook), {@code .url},
 *   {@code .secret}, {@code .mention}, {@code .template} (docs/receivers.md);</li>
 *   <li>{@code slack}: the Slack incoming webhook of {@code slack.webhook-url}, as before;</li>
 *   <li>{@code slack.channels.NAME.webhook-url} and {@code .mention}: Slack channels declared the older way.</li>
 * </ul>
 * A channel without a URL is off. Everything is checked when the routes start (a mistake stops the start, and
 * {@code validate} names it); nothing here prints a URL's secret parts or a secret.
 */
public final class Channels implements CamelContextAware, SettingsListener {

    /** The channel of slack.webhook-url. */
    public static final String SLACK = "slack";
    /** The name groups and silences written before channels had names gave the Slack channel. */
    private static final String OLD_DEFAULT = "default";
    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);
    private static final String PREFIX = "channels.";
    private static final String SLACK_PREFIX = "slack.channels.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern SETTING = Pattern.compile(Pattern.quote(PREFIX) + "([^.]+)\\.(.+)");
    private static final Pattern SLACK_SETTING = Pattern.compile(Pattern.quote(SLACK_PREFIX) + "([^.]+)\\.(.+)");
    private static final List<String> ATTRIBUTES = List.of("type", "url", "secret", "mention", "template");

    private CamelContext camelContext;
    private String slackUrl = "";
    private String alertChannels = SLACK;
    private volatile Map<String, Channel> channels;
    private final Map<ChannelKind, ChannelRobot> robots = new EnumMap<>(ChannelKind.class);

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The webhook of the {@code slack} channel (slack.webhook-url); empty turns it off. */
    public void setSlackUrl(String url) {
        this.slackUrl = url == null ? "" : url.trim();
        this.channels = null;
    }

    /** The channels the shipped alarm rule sends to (alerts.channels), comma separated. */
    public void setAlertChannels(String names) {
        this.alertChannels = names == null ? "" : names.trim();
    }

    /** Reads and checks every channel; a mistake stops the start, and validate names it. */
    public void check() {
        channels = null;
        channels();
        alertChannels();
        apps().ifPresent(apps -> apps.all().forEach(app -> checkedNames("apps." + app.name() + ".alerts.channels",
                app.setting("alerts.channels"))));
    }

    /** A reload read the settings again: the channels are read again from them. */
    @Override
    public void settingsReloaded() {
        slackUrl = camelContext.resolvePropertyPlaceholders("{{slack.webhook-url}}").trim();
        alertChannels = camelContext.resolvePropertyPlaceholders("{{alerts.channels}}").trim();
        check();
    }

    /** The channel of this name; {@code default} (and none) is the Slack one, as groups of older versions say. */
    public Optional<Channel> find(String name) {
        String wanted = name == null || name.isEmpty() || name.equals(OLD_DEFAULT) ? SLACK : name;
        return Optional.ofNullable(channels().get(wanted));
    }

    /** The channel of this name; one the settings do not declare is a mistake in a rule. */
    public Channel channel(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("channel '" + name + "' is not declared"
                + DidYouMean.among(name, channels().keySet().stream()) + ": declare it as " + PREFIX + name
                + ".type and " + PREFIX + name + ".url in application.properties (declared: "
                + String.join(", ", channels().keySet()) + ")"));
    }

    /**
     * Whether alerts for this channel are posted: it has a URL. A channel no longer declared (a group's, from
     * before a restart with other settings) is off, and said so.
     */
    public boolean isOn(String name) {
        Optional<Channel> channel = find(name);
        if (channel.isEmpty()) {
            LOG.warn("Not sent to channel {}: it is not declared (any more)", LogText.of(name));
        }
        return channel.map(Channel::isOn).orElse(false);
    }

    /** The channels of alerts.channels, each declared. */
    public List<String> alertChannels() {
        return checkedNames("alerts.channels", alertChannels);
    }

    /** The channels of the alert's app (apps.NAME.alerts.channels, else alerts.channels), each declared. */
    public List<String> alertChannels(Alert alert) {
        Optional<Apps.App> app = apps().flatMap(apps -> apps.bySdkAppId(alert.sdkAppId()));
        return app.isEmpty() ? alertChannels() : checkedNames("apps." + app.get().name() + ".alerts.channels",
                app.get().setting("alerts.channels"));
    }

    /** What the shipped alarm rule sends an alert to: channel:NAME for each of its app's alert channels. */
    public List<String> alertRecipients(Alert alert) {
        return alertChannels(alert).stream().map(name -> ChannelComponent.SCHEME + ":" + name).toList();
    }

    private List<String> checkedNames(String key, String commaSeparated) {
        List<String> names = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .toList();
        for (String name : names) {
            if (find(name).isEmpty()) {
                throw new IllegalArgumentException(key + " names '" + name + "', which is not declared"
                        + DidYouMean.among(name, channels().keySet().stream()) + " (declared: "
                        + String.join(", ", channels().keySet()) + ")");
            }
        }
        return names;
    }

    /** The apps, when the routes declare them (not in a command that reads only the channels). */
    private Optional<Apps> apps() {
        return Optional.ofNullable(camelContext == null ? null : Apps.of(camelContext));
    }

    /** The delivery of one alert to a channel; each channel's has its own id, so two channels get one post each. */
    public Delivery deliveryOf(Alert alert, String name) {
        Channel channel = channel(name);
        String subject = alert.title() + (alert.rule() == null ? "" : " [rule " + alert.rule() + "]");
        return delivery(channel, alert.eventId() + "-" + channel.destination().replace(':', '-'),
                robot(channel.kind()).alert(alert, channel), subject);
    }

    /** The delivery of a group's summary to the channel its first alarm went to; null when it takes none. */
    public Delivery summaryOf(AlertGroup group) {
        Channel channel = channel(group.channelName());
        String body = robot(channel.kind()).summary(group, channel);
        return body == null ? null : delivery(channel, group.firstEventId() + "-summary" + suffix(channel), body,
                group.repeats() + " more: " + group.title());
    }

    /** The summary of what a silence hid from a channel, when the silence ends; null when it takes none. */
    public Delivery silenceSummaryOf(SilencedAlarms hidden) {
        Channel channel = channel(hidden.channel());
        String body = robot(channel.kind()).silenceSummary(hidden, channel);
        return body == null ? null : delivery(channel, "silence-" + hidden.id(), body,
                "silence " + hidden.silenceId() + " ended: " + hidden.count() + " hidden");
    }

    /** The event that resolves an incident whose alarms have stopped. */
    public Delivery resolutionOf(Incident incident) {
        Channel channel = channel(incident.channel());
        return delivery(channel, "resolve-" + incident.id() + "-" + incident.lastSeenAt(),
                ((PagerDutyEvents) robot(channel.kind())).resolve(incident), "resolved: " + incident.title());
    }

    /**
     * The request a delivery's receiver would get now, its secrets masked: for {@code explain}, which shows what
     * each channel would be sent without sending it.
     */
    public Receiver.Request preview(Delivery delivery) {
        String destination = delivery.destination();
        Channel channel = find(destination.contains(":") ? destination.substring(destination.indexOf(':') + 1) : SLACK)
                .orElseThrow();
        return robot(channel.kind()).format(delivery, channel.masked(), Instant.now());
    }

    /** A marked test alarm's request to this channel, made now, signed as every attempt is (send-test). */
    public Receiver.Request testRequest(String name, Instant now) {
        Channel channel = channel(name);
        return robot(channel.kind()).format(deliveryOf(SampleAlert.at(now), name), channel, now);
    }

    /** What an answer of this channel's receiver means. */
    public Verdict judge(String name, Receiver.Answer answer) {
        return robot(channel(name).kind()).judge(answer);
    }

    /** Its body, as text. */
    public static String body(Receiver.Request request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }

    /** Where alerts go, a line per channel, for the start-up summary; no URL's secret part. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Channel channel : channels().values()) {
            if (channel.name().equals(SLACK) && !channel.isOn()) {
                lines.add("Slack is off. To post alerts to Slack, set SLACK_WEBHOOK_URL (or slack.webhook-url in"
                        + " application.properties) to an incoming-webhook URL.");
            } else if (channel.isOn()) {
                lines.add("channel " + channel.name() + " (" + channel.kind().word() + ") is on: posts to "
                        + Urls.redact(channel.url()));
            } else {
                lines.add("channel " + channel.name() + " (" + channel.kind().word() + ") is off: its "
                        + (channel.url().isEmpty() ? "URL" : "routing key (secret)") + " is empty");
            }
        }
        List<String> alerting = alertChannels();
        List<String> on = alerting.stream().filter(this::isOn).toList();
        lines.add("alarms go to " + (on.isEmpty() ? "the alert file only" : String.join(", ", on) + " and the alert file")
                + " (alerts.channels = " + String.join(",", alerting) + ")");
        return lines;
    }

    /** The robot that speaks to channels of this kind, one per kind (a webhook's caches its templates). */
    ChannelRobot robot(ChannelKind kind) {
        synchronized (robots) {
            return robots.computeIfAbsent(kind, ChannelKind::robot);
        }
    }

    private static String suffix(Channel channel) {
        return channel.destination().equals(SLACK) ? "" : "-" + channel.destination().replace(':', '-');
    }

    /** A channel's delivery keeps its URL redacted: the robot posts to the channel's URL of the moment. */
    private Delivery delivery(Channel channel, String id, String body, String subject) {
        return new Delivery(id, channel.destination(), Urls.redact(channel.url()), null, false, body,
                "application/json; charset=utf-8", false, LogText.of(subject), Instant.now().toString(), true);
    }

    private Map<String, Channel> channels() {
        Map<String, Channel> known = channels;
        if (known == null) {
            known = new TreeMap<>();
            known.put(SLACK, slack(SLACK, "slack.webhook-url", slackUrl, ""));
            if (camelContext == null) {
                return known; // not yet in a router: only the Slack channel is known, and not kept
            }
            readSlackChannels(known);
            readChannels(known);
            channels = known;
        }
        return known;
    }

    /** slack.channels.NAME.webhook-url and .mention: Slack channels, declared the older way. */
    private void readSlackChannels(Map<String, Channel> known) {
        Map<String, Map<String, String>> declared = declared(SLACK_PREFIX, SLACK_SETTING, Set.of("webhook-url",
                "mention"), "webhook-url");
        declared.forEach((name, settings) -> known.put(name, slack(name, SLACK_PREFIX + name + ".webhook-url",
                settings.getOrDefault("webhook-url", ""), settings.getOrDefault("mention", ""))));
    }

    /** channels.NAME.*: a channel of any kind. */
    private void readChannels(Map<String, Channel> known) {
        Map<String, Map<String, String>> declared = declared(PREFIX, SETTING, Set.copyOf(ATTRIBUTES), "type");
        for (Map.Entry<String, Map<String, String>> entry : declared.entrySet()) {
            String name = entry.getKey();
            if (known.containsKey(name)) {
                throw new IllegalArgumentException(PREFIX + name + ": a channel named " + name + " is declared already"
                        + (name.equals(SLACK) ? " (slack is slack.webhook-url's)" : " as " + SLACK_PREFIX + name));
            }
            known.put(name, channel(name, entry.getValue()));
        }
    }

    /** The settings under a prefix, by channel name, each name and attribute checked. */
    private Map<String, Map<String, String>> declared(String prefix, Pattern setting, Set<String> attributes,
                                                      String example) {
        Map<String, Map<String, String>> declared = new LinkedHashMap<>();
        Set<String> keys = camelContext.getPropertiesComponent().loadProperties(k -> k.startsWith(prefix)).keySet()
                .stream().map(Object::toString).collect(Collectors.toCollection(java.util.TreeSet::new));
        for (String key : keys) {
            Matcher parts = setting.matcher(key);
            if (!parts.matches()) {
                throw new IllegalArgumentException(key + ": not a channel setting; a channel is declared as " + prefix
                        + "NAME." + example + " (NAME in lower case: letters, digits, - and _)");
            }
            String name = parts.group(1);
            String attribute = parts.group(2);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(key + ": '" + name + "' is not a channel name (lower case letters,"
                        + " digits, - and _, starting with a letter or digit)");
            }
            if (!attributes.contains(attribute)) {
                throw new IllegalArgumentException(key + ": a channel has no setting '" + attribute + "'"
                        + DidYouMean.among(attribute, attributes.stream()) + "; its settings are "
                        + attributes.stream().sorted().collect(Collectors.joining(", ")));
            }
            declared.computeIfAbsent(name, n -> new TreeMap<>()).put(attribute,
                    camelContext.resolvePropertyPlaceholders("{{" + key + "}}").trim());
        }
        return declared;
    }

    private Channel slack(String name, String urlKey, String url, String mention) {
        Channel channel = new Channel(name, ChannelKind.SLACK, url, "", mention, "");
        checkUrl(urlKey, channel);
        checkMention(urlKey.replace("webhook-url", "mention"), channel);
        return channel;
    }

    private Channel channel(String name, Map<String, String> settings) {
        String key = PREFIX + name + ".";
        String type = settings.getOrDefault("type", "");
        ChannelKind kind = ChannelKind.of(type).orElseThrow(() -> new IllegalArgumentException(key + "type"
                + (type.isEmpty() ? " is missing" : " = '" + type + "' is not a kind of channel"
                + DidYouMean.among(type, Arrays.stream(ChannelKind.values()).map(ChannelKind::word)))
                + ": one of " + Arrays.stream(ChannelKind.values()).map(ChannelKind::word)
                .collect(Collectors.joining(", "))));
        String url = settings.getOrDefault("url", "");
        Channel channel = new Channel(name, kind, url.isEmpty() ? kind.defaultUrl() : url,
                settings.getOrDefault("secret", ""), settings.getOrDefault("mention", ""),
                settings.getOrDefault("template", ""));
        checkUrl(key + "url", channel);
        checkMention(key + "mention", channel);
        boolean hasSecret = !channel.secret().isEmpty();
        switch (kind.secret()) {
            case NONE -> {
                if (hasSecret) {
                    throw new IllegalArgumentException(key + "secret: a " + kind.word() + " channel takes no secret"
                            + " (its URL is its credential)");
                }
            }
            default -> {
                // optional: signing, an Authorization header; without a routing key, PagerDuty's channel is off
            }
        }
        if (!channel.template().isEmpty()) {
            if (kind != ChannelKind.WEBHOOK) {
                throw new IllegalArgumentException(key + "template: only a webhook channel takes a template; a "
                        + kind.word() + " channel's message is its own");
            }
            String problem = ((JsonWebhook) robot(kind)).templateProblem(channel);
            if (problem != null) {
                throw new IllegalArgumentException(key + "template: " + problem);
            }
        }
        return channel;
    }

    private static void checkUrl(String key, Channel channel) {
        if (!channel.isOn()) {
            return;
        }
        String problem = Urls.problem(channel.url());
        if (problem == null && !channel.kind().fits(channel.url())) {
            problem = "is not " + channel.kind().urlHint();
        }
        if (problem != null) {
            throw new IllegalArgumentException(key + ": '" + Urls.redact(channel.url()) + "' " + problem);
        }
    }

    private void checkMention(String key, Channel channel) {
        String problem = robot(channel.kind()).mentionProblem(channel.mention());
        if (problem != null) {
            throw new IllegalArgumentException(key + ": '" + LogText.of(channel.mention()) + "' is " + problem);
        }
    }
}
