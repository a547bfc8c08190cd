package io.github.chatcallbackrouter.channel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The kinds of receiver a channel can be ({@code channels.NAME.type}), each with what its API asks of a channel:
 * the shape of its URL, whether it takes a secret and what for, whether it can mention people, and the
 * {@link ChannelRobot} that speaks to it. Sources: docs/receivers.md.
 */
public enum ChannelKind {

    SLACK("slack", "", ".*", "an incoming-webhook URL, https://hooks.slack.com/services/...", "/no-webhook", Secret.NONE,
            SlackWebhook::new),
    WECOM("wecom", "", ".*/cgi-bin/webhook/send\\?(.*&)?key=[^&]+.*",
            "a group robot's webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
            "/cgi-bin/webhook/send?key=none", Secret.NONE,
            WeComRobot::new),
    DINGTALK("dingtalk", "", ".*/robot/send\\?(.*&)?access_token=[^&]+.*",
            "a custom robot's webhook, https://oapi.dingtalk.com/robot/send?access_token=TOKEN",
            "/robot/send?access_token=none", Secret.SIGNING,
            DingTalkRobot::new),
    FEISHU("feishu", "", ".*/open-apis/bot/v2/hook/[^/?#]+",
            "a custom bot's webhook, https://open.feishu.cn/open-apis/bot/v2/hook/ID", "/open-apis/bot/v2/hook/none",
            Secret.SIGNING, FeishuBot::new),
    LARK("lark", "", ".*/open-apis/bot/v2/hook/[^/?#]+",
            "a custom bot's webhook, https://open.larksuite.com/open-apis/bot/v2/hook/ID",
            "/open-apis/bot/v2/hook/none", Secret.SIGNING,
            FeishuBot::new),
    PAGERDUTY("pagerduty", "https://events.pagerduty.com/v2/enqueue", ".*/v2/enqueue",
            "the Events API v2, https://events.pagerduty.com/v2/enqueue (the default)", "/v2/enqueue",
            Secret.ROUTING_KEY,
            PagerDutyEvents::new),
    TEAMS("teams", "", ".*", "a Teams Workflows webhook (\"When a Teams webhook request is received\")", "/no-webhook",
            Secret.NONE,
            TeamsWorkflow::new),
    WEBHOOK("webhook", "", ".*", "any endpoint that takes JSON", "/no-webhook", Secret.AUTHORIZATION, JsonWebhook::new);

    /** What a channel's secret setting is to its receiver. */
    public enum Secret {
        /** It takes none. */
        NONE,
        /** Optional: when given, each post is signed with it (the robot's "signature" security setting). */
        SIGNING,
        /** Required: the integration's routing key, in each event. */
        ROUTING_KEY,
        /** Optional: the Authorization header of each post ("Bearer ...", "GenieKey ..."). */
        AUTHORIZATION
    }

    /** The host of a URL that stands for none: explain shows a channel without a URL, marked off. */
    public static final String NO_URL = "https://channel.invalid";

    private final String word;
    private final String defaultUrl;
    private final Pattern urlShape;
    private final String urlHint;
    private final String placeholderPath;
    private final Secret secret;
    private final Supplier<ChannelRobot> robot;

    ChannelKind(String word, String defaultUrl, String urlShape, String urlHint, String placeholderPath,
                Secret secret, Supplier<ChannelRobot> robot) {
        this.word = word;
        this.defaultUrl = defaultUrl;
        this.urlShape = Pattern.compile(urlShape);
        this.urlHint = urlHint;
        this.placeholderPath = placeholderPath;
        this.secret = secret;
        this.robot = robot;
    }

    /** The kind a {@code type} setting names. */
    public static Optional<ChannelKind> of(String word) {
        return Arrays.stream(values()).filter(kind -> kind.word.equals(word.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** Its name in the settings and in delivery destinations: {@code dingtalk}. */
    public String word() {
        return word;
    }

    /** The URL a channel of this kind posts to when it gives none ("" when it must give one). */
    public String defaultUrl() {
        return defaultUrl;
    }

    /** Whether the URL has the path and query this kind's API needs (the host is free: a proxy, a test). */
    public boolean fits(String url) {
        return urlShape.matcher(url).matches();
    }

    /** What its URL looks like, for a problem line. */
    public String urlHint() {
        return urlHint;
    }

    /** A URL on {@link #NO_URL} of this kind's shape: what a channel without one posts to in a scratch run. */
    public String placeholder() {
        return NO_URL + placeholderPath;
    }

    public Secret secret() {
        return secret;
    }

    /** A robot of this kind, to render alerts and judge answers. */
    public ChannelRobot robot() {
        return robot.get();
    }

    /** Whether an incident it opens is resolved once its alarms stop (PagerDuty's). */
    public boolean resolves() {
        return this == PAGERDUTY;
    }
}
