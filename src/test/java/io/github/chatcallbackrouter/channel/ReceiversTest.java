package io.github.chatcallbackrouter.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Receiver;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each receiver as its API documents it (docs/receivers.md): the body an alert becomes, the request of an attempt
 * (signed then), and what each answer means, the documented error codes included.
 */
class ReceiversTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static Channel channel(ChannelKind kind, String secret, String mention) {
        return new Channel("ops", kind, "https://receiver.example/cgi-bin/webhook/send?key=k", secret, mention, "");
    }

    private static Alert alarm(String api, String severity) {
        Alert sample = SampleAlert.at(NOW);
        return new Alert(sample.eventId(), sample.type(), severity, "Over its rate limit: " + api + " at 255%",
                sample.sdkAppId(), sample.origin(), sample.command(), api, null, null, 510L, 200L, "QPS", 255.0, null,
                sample.receivedAt(), "[\"1400000000\",\"" + api + "\"]", sample.payload(), null, null, null);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static Delivery delivery(Channel channel, String body) {
        return new Delivery("d-1", channel.destination(), channel.url(), null, false, body, "application/json", false,
                "s", NOW.toString(), true);
    }

    @Test
    void dingTalksSignatureMatchesTheDocumentedFormula() {
        // computed from the formula with Python's hmac (../shared/notes/pagers.md)
        assertThat(DingTalkRobot.sign(1599360473000L, "this is secret"))
                .isEqualTo("hXZTWifRGHclNuZSKxoXc//sh51SWfVfRIhcdeKs63I=");
    }

    @Test
    void feishusSignatureSwapsKeyAndMessage() {
        assertThat(FeishuBot.sign(1599360473L, "demo")).isEqualTo("l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
    }

    @Test
    void dingTalkIsSignedAtEachAttemptInItsUrl() {
        Channel channel = channel(ChannelKind.DINGTALK, "SECabc", "");
        DingTalkRobot robot = new DingTalkRobot();
        Delivery delivery = delivery(channel, robot.alert(alarm("openim/sendmsg", "critical"), channel));

        Instant later = NOW.plusSeconds(7200);
        Receiver.Request request = robot.format(delivery, channel, later);

        String query = URI.create(request.url()).getRawQuery();
        assertThat(query).contains("timestamp=" + later.toEpochMilli());
        String sign = URLDecoder.decode(query.replaceFirst(".*sign=", ""), StandardCharsets.UTF_8);
        assertThat(sign).isEqualTo(DingTalkRobot.sign(later.toEpochMilli(), "SECabc"));
        assertThat(delivery.body()).doesNotContain("SECabc").doesNotContain("sign");
    }

    @Test
    void feishuIsSignedAtEachAttemptInItsBody() throws Exception {
        Channel channel = channel(ChannelKind.FEISHU, "demo", "");
        FeishuBot robot = new FeishuBot();
        Delivery delivery = delivery(channel, robot.alert(alarm("openim/sendmsg", "critical"), channel));

        JsonNode body = json(new String(robot.format(delivery, channel, NOW).body(), StandardCharsets.UTF_8));

        assertThat(body.path("timestamp").asText()).isEqualTo(String.valueOf(NOW.getEpochSecond()));
        assertThat(body.path("sign").asText()).isEqualTo(FeishuBot.sign(NOW.getEpochSecond(), "demo"));
        assertThat(body.path("msg_type").asText()).isEqualTo("interactive");
        assertThat(body.at("/card/header/template").asText()).isEqualTo("red");
    }

    @Test
    void pagerDutyGetsItsRoutingKeyAtEachAttemptAndOneDedupKeyPerGroup() throws Exception {
        Channel channel = new Channel("pager", ChannelKind.PAGERDUTY, ChannelKind.PAGERDUTY.defaultUrl(), "R0UT1NG",
                "", "");
        PagerDutyEvents robot = new PagerDutyEvents();
        String first = robot.alert(alarm("openim/sendmsg", "critical"), channel);
        String second = robot.alert(alarm("openim/sendmsg", "warning"), channel);
        String other = robot.alert(alarm("openim/batchsendmsg", "critical"), channel);

        assertThat(first).doesNotContain("R0UT1NG");
        assertThat(json(first).path("dedup_key")).isEqualTo(json(second).path("dedup_key"))
                .isNotEqualTo(json(other).path("dedup_key"));
        JsonNode sent = json(new String(robot.format(delivery(channel, first), channel, NOW).body(),
                StandardCharsets.UTF_8));
        assertThat(sent.path("routing_key").asText()).isEqualTo("R0UT1NG");
        assertThat(sent.path("event_action").asText()).isEqualTo("trigger");
        assertThat(sent.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(json(second).at("/payload/severity").asText()).isEqualTo("warning");
    }

    @Test
    void aFiveThousandCharacterApiNameFitsEveryReceiversLimitAndTheCutIsSaid() throws Exception {
        Alert huge = alarm("告警".repeat(2500), "critical");
        Channel wecom = channel(ChannelKind.WECOM, "", "");
        JsonNode weCom = json(new WeComRobot().alert(huge, wecom));
        assertThat(Text.utf8Length(weCom.at("/markdown/content").asText()))
                .isLessThanOrEqualTo(WeComRobot.MARKDOWN_MAX_BYTES);

        String dingTalk = new DingTalkRobot().alert(huge, channel(ChannelKind.DINGTALK, "", ""));
        assertThat(Text.utf8Length(dingTalk)).isLessThanOrEqualTo(DingTalkRobot.BODY_MAX_BYTES);
        String feishu = new FeishuBot().alert(huge, channel(ChannelKind.FEISHU, "", ""));
        assertThat(Text.utf8Length(feishu)).isLessThanOrEqualTo(FeishuBot.BODY_MAX_BYTES);
        String teams = new TeamsWorkflow().alert(huge, channel(ChannelKind.TEAMS, "", ""));
        assertThat(Text.utf8Length(teams)).isLessThanOrEqualTo(TeamsWorkflow.BODY_MAX_BYTES);
        JsonNode pagerDuty = json(new PagerDutyEvents().alert(huge, new Channel("p", ChannelKind.PAGERDUTY,
                ChannelKind.PAGERDUTY.defaultUrl(), "k", "", "")));
        assertThat(pagerDuty.at("/payload/summary").asText().length()).isLessThanOrEqualTo(1024);
        // an API name is cut to 500 characters in a message, and says so
        assertThat(weCom.at("/markdown/content").asText()).contains(Text.CUT);
    }

    @Test
    void aCallbacksTextCannotMentionLinkOrBreakOutInAnyReceiver() throws Exception {
        Alert hostile = alarm("<at id=all></at> <@all> [x](https://evil.example) `code` **b** @all", "critical");
        for (ChannelKind kind : new ChannelKind[] {ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU,
                ChannelKind.TEAMS}) {
            String body = kind.robot().alert(hostile, channel(kind, "", ""));
            assertThat(body).as(kind.word()).doesNotContain("<at id=all>").doesNotContain("<@all>")
                    .doesNotContain("](https").doesNotContain("`code`").doesNotContain("@all");
        }
    }

    @Test
    void aCriticalAlarmMentionsTheChannelsPeopleInEachReceiversOwnTerms() throws Exception {
        Alert critical = alarm("openim/sendmsg", "critical");
        JsonNode weCom = json(new WeComRobot().alert(critical, channel(ChannelKind.WECOM, "", "13800000000, zhangsan")));
        assertThat(weCom.path("msgtype").asText()).as("mobiles only in a text message").isEqualTo("text");
        assertThat(weCom.at("/text/mentioned_mobile_list/0").asText()).isEqualTo("13800000000");
        assertThat(weCom.at("/text/mentioned_list/0").asText()).isEqualTo("zhangsan");
        JsonNode weComIds = json(new WeComRobot().alert(critical, channel(ChannelKind.WECOM, "", "zhangsan")));
        assertThat(weComIds.at("/markdown/content").asText()).contains("<@zhangsan>");

        JsonNode dingTalk = json(new DingTalkRobot().alert(critical, channel(ChannelKind.DINGTALK, "", "13800000000,@all")));
        assertThat(dingTalk.at("/at/atMobiles/0").asText()).isEqualTo("13800000000");
        assertThat(dingTalk.at("/at/isAtAll").asBoolean()).isTrue();
        assertThat(dingTalk.at("/markdown/text").asText()).contains("@13800000000");

        String feishu = new FeishuBot().alert(critical, channel(ChannelKind.FEISHU, "", "ou_abc"));
        assertThat(feishu).contains("<at id=ou_abc></at>");

        JsonNode warning = json(new DingTalkRobot().alert(alarm("openim/sendmsg", "warning"),
                channel(ChannelKind.DINGTALK, "", "13800000000")));
        assertThat(warning.at("/at/atMobiles").isMissingNode()).as("a warning pages nobody").isTrue();
    }

    @ParameterizedTest(name = "{0} HTTP {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "WECOM    | 200 | {\"errcode\":0,\"errmsg\":\"ok\"}                          | DELIVERED",
        "WECOM    | 200 | {\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}  | RATE_LIMITED",
        "WECOM    | 200 | {\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}    | REFUSED",
        "WECOM    | 200 | {\"errcode\":45002,\"errmsg\":\"content size out of limit\"} | REFUSED",
        "WECOM    | 200 | {\"errcode\":-1,\"errmsg\":\"system busy\"}               | RETRY",
        "WECOM    | 502 | bad gateway                                              | RETRY",
        "WECOM    | 200 | <html>a proxy page</html>                                | REFUSED",
        "DINGTALK | 200 | {\"errcode\":0,\"errmsg\":\"ok\"}                          | DELIVERED",
        "DINGTALK | 200 | {\"errcode\":410100,\"errmsg\":\"send too fast\"}          | RATE_LIMITED",
        "DINGTALK | 200 | {\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"} | RATE_LIMITED",
        "DINGTALK | 200 | {\"errcode\":310000,\"errmsg\":\"sign not match\"}         | REFUSED",
        "DINGTALK | 200 | {\"errcode\":310000,\"errmsg\":\"keywords not in content\"} | REFUSED",
        "DINGTALK | 200 | {\"errcode\":400102,\"errmsg\":\"robot disabled\"}         | REFUSED",
        "DINGTALK | 200 | {\"errcode\":460101,\"errmsg\":\"message too long\"}       | REFUSED",
        "FEISHU   | 200 | {\"code\":0,\"msg\":\"success\"}                           | DELIVERED",
        "FEISHU   | 200 | {\"StatusCode\":0,\"StatusMessage\":\"success\"}           | DELIVERED",
        "FEISHU   | 200 | {\"code\":11232,\"msg\":\"frequency limited\"}             | RATE_LIMITED",
        "FEISHU   | 400 | {\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour\"} | REFUSED",
        "FEISHU   | 200 | {\"code\":19024,\"msg\":\"Key Words Not Found\"}           | REFUSED",
        "FEISHU   | 200 | {\"code\":19022,\"msg\":\"Ip Not Allowed\"}                | REFUSED",
        "PAGERDUTY | 202 | {\"status\":\"success\",\"dedup_key\":\"k\"}              | DELIVERED",
        "PAGERDUTY | 400 | {\"status\":\"invalid event\",\"errors\":[\"x\"]}         | REFUSED",
        "PAGERDUTY | 429 | ''                                                     | RETRY",
        "PAGERDUTY | 503 | ''                                                     | RETRY",
        "TEAMS    | 202 | ''                                                       | DELIVERED",
        "TEAMS    | 200 | Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 | RATE_LIMITED",
        "TEAMS    | 400 | bad card                                                 | REFUSED",
        "WEBHOOK  | 204 | ''                                                       | DELIVERED",
        "WEBHOOK  | 401 | unauthorized                                             | REFUSED",
    })
    void eachAnswerMeansWhatTheReceiverSays(ChannelKind kind, int status, String body, Verdict.Kind expected) {
        Verdict verdict = kind.robot().judge(new Receiver.Answer(status, Map.of(), body));

        assertThat(verdict.kind()).as(verdict.answer()).isEqualTo(expected);
    }

    @Test
    void throttlingWaitsTheReceiversWindow() {
        assertThat(new WeComRobot().judge(new Receiver.Answer(200, Map.of(), "{\"errcode\":45009}")).waitMillis())
                .isEqualTo(60_000);
        assertThat(new DingTalkRobot().judge(new Receiver.Answer(200, Map.of(), "{\"errcode\":130101}")).waitMillis())
                .as("DingTalk blocks an over-eager robot for ten minutes").isEqualTo(600_000);
    }

    @Test
    void aGroupRobotMayHaveAMessageThatWentOutUnanswered() {
        assertThat(new WeComRobot().unreachable("timeout", true).kind()).isEqualTo(Verdict.Kind.UNKNOWN);
        assertThat(new WeComRobot().unreachable("Connection refused", false).kind()).isEqualTo(Verdict.Kind.RETRY);
        assertThat(new PagerDutyEvents().unreachable("timeout", true).kind()).as("a dedup key drops a duplicate")
                .isEqualTo(Verdict.Kind.RETRY);
    }

    @Test
    void aWebhookTemplateAlwaysRendersJsonWhateverTheCallbackSent(@TempDir Path directory) throws Exception {
        Path template = Files.writeString(directory.resolve("opsgenie.json.mustache"),
                "{\"message\": \"{{headline}}\", \"priority\": \"P1\", \"details\": {{{json}}}, \"lines\": ["
                        + "{{#facts}}\"{{name}}: {{value}}\",{{/facts}}\"end\"]}");
        Channel channel = new Channel("gate", ChannelKind.WEBHOOK, "https://gate.example/alerts", "GenieKey x", "",
                template.toString());
        JsonWebhook robot = new JsonWebhook();

        JsonNode body = json(robot.alert(alarm("open\"im\\\\/send\nmsg", "critical"), channel));

        assertThat(body.path("message").asText()).contains("open\"im");
        assertThat(body.at("/details/api").asText()).isEqualTo("open\"im\\\\/send\nmsg");
        assertThat(robot.templateProblem(channel)).isNull();
        assertThat(robot.format(delivery(channel, "{}"), channel, NOW).headers())
                .containsEntry("Authorization", "GenieKey x");

        Files.writeString(template, "{\"message\": {{headline}}}");
        assertThat(robot.templateProblem(channel)).contains("does not render JSON");
    }
}
