package io.github.chatcallbackrouter.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.chatcallbackrouter.support.SettingsContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Channels as the settings declare them: each checked once, with a line that says what is wrong and what to do. */
class ChannelsTest {

    private static Channels channels(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("router.data-dir", "target/channels-test"));
        all.putAll(settings);
        DefaultCamelContext context = SettingsContext.create("channels-test", "file:application.properties", all);
        Channels channels = new Channels();
        channels.setCamelContext(context);
        channels.setSlackUrl(context.resolvePropertyPlaceholders("{{slack.webhook-url}}"));
        channels.setAlertChannels(context.resolvePropertyPlaceholders("{{alerts.channels}}"));
        return channels;
    }

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    @Test
    void aTeamWithOnlyADingTalkRobotSetsThreeSettings() {
        Channels channels = channels(settings("channels.ops.type", "dingtalk",
                "channels.ops.url", "https://oapi.dingtalk.com/robot/send?access_token=t0k",
                "alerts.channels", "ops"));
        channels.check();

        assertThat(channels.alertRecipients(SampleAlert.at(java.time.Instant.now()))).containsExactly("channel:ops");
        assertThat(channels.channel("ops").destination()).isEqualTo("dingtalk:ops");
        assertThat(channels.describe()).contains("channel ops (dingtalk) is on: posts to https://oapi.dingtalk.com/…")
                .noneMatch(line -> line.contains("t0k"));
    }

    @Test
    void slackChannelsDeclaredTheOlderWayAreChannelsToo() {
        Channels channels = channels(settings("slack.webhook-url", "https://hooks.slack.com/services/T/B/x",
                "slack.channels.oncall.webhook-url", "https://hooks.slack.com/services/T/B/y",
                "slack.channels.oncall.mention", "<!subteam^S0123ABCD>"));
        channels.check();

        assertThat(channels.channel("oncall").kind()).isEqualTo(ChannelKind.SLACK);
        assertThat(channels.channel("oncall").destination()).isEqualTo("slack:oncall");
        assertThat(channels.channel("slack").destination()).isEqualTo("slack");
        assertThat(channels.channel("default")).as("groups of older versions").isEqualTo(channels.channel("slack"));
    }

    @Test
    void aPagerDutyChannelIsOffUntilItHasARoutingKey() {
        Channels channels = channels(settings("channels.pager.type", "pagerduty", "channels.pager.secret", ""));
        channels.check();

        assertThat(channels.isOn("pager")).isFalse();
        assertThat(channels.describe()).contains("channel pager (pagerduty) is off: its routing key (secret) is empty");
        Channels keyed = channels(settings("channels.pager.type", "pagerduty", "channels.pager.secret", "R"));
        keyed.check();
        assertThat(keyed.channel("pager").url()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
        assertThat(keyed.isOn("pager")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "channels.ops.typ=dingtalk | channels.ops.typ: a channel has no setting 'typ' (did you mean type?)",
        "channels.ops.type=dingtak | channels.ops.type = 'dingtak' is not a kind of channel (did you mean dingtalk?): one of slack, wecom, dingtalk, feishu, lark, pagerduty, teams, webhook",
        "channels.ops.url=https://oapi.dingtalk.com/robot/send | channels.ops.type is missing",
        "channels.Ops.type=wecom | channels.Ops.type: 'Ops' is not a channel name",
        "channels.ops.type=wecom;channels.ops.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send | channels.ops.url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/…' is not a group robot's webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
        "channels.ops.type=wecom;channels.ops.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k;channels.ops.secret=s | channels.ops.secret: a wecom channel takes no secret",
        "channels.ops.type=dingtalk;channels.ops.url=https://u:p@oapi.dingtalk.com/robot/send?access_token=t | carries credentials",
        "channels.ops.type=dingtalk;channels.ops.url=https://oapi.dingtalk.com/robot/send?access_token=t;channels.ops.mention=<!channel> | channels.ops.mention: '<!channel>' is not mentions this robot takes",
        "channels.ops.type=pagerduty;channels.ops.secret=k;channels.ops.mention=someone | channels.ops.mention: 'someone' is not a mention this kind of channel takes",
        "channels.ops.type=slack;channels.ops.url=https://hooks.slack.com/services/T/B/x;channels.ops.template=t.mustache | channels.ops.template: only a webhook channel takes a template",
        "channels.slack.type=wecom | channels.slack: a channel named slack is declared already (slack is slack.webhook-url's)",
        "alerts.channels=slack,opps;channels.ops.type=teams | alerts.channels names 'opps', which is not declared (did you mean ops?)",
    })
    void eachMistakeIsOneLineNamingTheSetting(String lines, String problem) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : lines.split(";")) {
            settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        Channels channels = channels(settings);

        assertThatThrownBy(channels::check).hasMessageContaining(problem);
    }

    @Test
    void aProblemLineNeverShowsASecret() {
        Channels channels = channels(settings("channels.ops.type", "dingtalk",
                "channels.ops.url", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n&x",
                "channels.ops.secret", "SECsecret", "channels.ops.mention", "<bad>"));

        assertThatThrownBy(channels::check).message().doesNotContain("t0k3n").doesNotContain("SECsecret");
    }
}
