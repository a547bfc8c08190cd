package io.github.chatcallbackrouter.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.matching.EqualToJsonPattern;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    private static Alert alert(String serviceName, String command, int request, int limit) throws Exception {
        JsonNode payload = Json.MAPPER.readTree("{\"ServiceName\":\"" + serviceName + "\",\"Command\":\"" + command
                + "\",\"Request\":" + request + ",\"Limit\":" + limit + "}");
        CallbackEvent event = new CallbackEvent("0d5e4b0c-42aa-4f5e-9d1c-3b7a2f0e9a11", "1400000001", "Alert.RequestOverLimit", "after", "iOS", "10.0.0.7",
                "2026-11-26T10:00:00Z", payload, "1400000001", null);
        return new AlertClassifier().classify(event).orElseThrow();
    }

    @Test
    void rendersTheOverLimitAlarmAsBlockKitWithSlacksOwnKeys() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("openim", "batchsendmsg", 510, 200), ""));

        // the same expectation as the fake Slack's in AlertDeliveryIT
        assertThat(new EqualToJsonPattern(Samples.expected("slack-over-limit-sample.json"), false, false)
                .match(message.toString()).isExactMatch()).as(message.toString()).isTrue();
        assertThat(message.at("/blocks/1/fields/6/text").asText())
                .isEqualTo("*Time*\n<!date^1795687200^{date_short_pretty} {time_secs}|2026-11-26T10:00:00Z>");
    }

    @Test
    void aWarningWearsOrange() throws Exception {
        String message = SlackMessage.render(alert("openim", "sendmsg", 170, 200), "");

        assertThat(message).contains(":large_orange_circle: Near its rate limit").contains("warning")
                .doesNotContain("red_circle");
    }

    @Test
    void textFromTheCallbackCannotPingTheChannelOrForgeLinks() throws Exception {
        JsonNode message = Json.MAPPER.readTree(
                SlackMessage.render(alert("<!channel>", "<http://evil|click>", 300, 200), ""));

        // Slack reads control sequences in the top-level text and mrkdwn fields (plain_text headers show them as is)
        java.util.List<String> markdown = new java.util.ArrayList<>();
        markdown.add(message.get("text").asText());
        message.at("/blocks/1/fields").forEach(field -> markdown.add(field.get("text").asText()));
        assertThat(markdown).noneMatch(text -> text.contains("<!channel>") || text.contains("<http://evil"));
        assertThat(markdown.get(1)).contains("&lt;!channel&gt;/&lt;http://evil|click&gt;");
    }

    @Test
    void staysWithinSlacksHeaderLimit() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("svc", "x".repeat(400), 300, 200), ""));

        assertThat(message.at("/blocks/0/text/text").asText()).hasSizeLessThanOrEqualTo(150);
    }

    @Test
    void aHugeApiNameIsCutToSlacksLimitsEverywhere() throws Exception {
        String emoji = "\uD83D\uDD34";
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(
                alert("s" + emoji.repeat(200_000), "c".repeat(300_000), 300, 200), ""));

        assertThat(message.get("text").asText()).hasSizeLessThanOrEqualTo(3000);
        assertThat(message.at("/blocks/0/text/text").asText()).hasSizeLessThanOrEqualTo(150);
        message.at("/blocks/1/fields").forEach(field ->
                assertThat(field.get("text").asText()).hasSizeLessThanOrEqualTo(2000));
        assertThat(message.at("/blocks/2/elements/0/text").asText()).hasSizeLessThanOrEqualTo(2000);
        assertThat(message.toString()).hasSizeLessThan(13_000).doesNotContain("\\ud83d\\u2026");
        for (String text : java.util.List.of(message.get("text").asText(), message.at("/blocks/1/fields/0/text")
                .asText())) {
            assertThat(Character.isHighSurrogate(text.charAt(text.length() - 2))).as("no half character").isFalse();
        }
    }

    @Test
    void aBacktickInTheApiNameCannotCloseTheCodeSpan() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("openim`*bold*", "x", 300, 200), ""));

        String api = message.at("/blocks/1/fields/0/text").asText();
        assertThat(api).startsWith("*API*\n`openim\u02CB*bold*/x`");
        assertThat(api.chars().filter(c -> c == '`').count()).isEqualTo(2);
    }

    @Test
    void numbersThatAreNotCountsAreShownRawAndMakeTheAlarmCritical() throws Exception {
        JsonNode payload = Json.MAPPER.readTree("{\"ServiceName\":\"openim\",\"Command\":\"sendmsg\","
                + "\"Request\":18446744073709551617,\"Limit\":200}");
        Alert alert = new AlertClassifier().classify(new CallbackEvent("e", "1400000001", "Alert.RequestOverLimit",
                "after", null, null, "2026-11-26T10:00:00Z", payload, "1400000001", null)).orElseThrow();

        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert, ""));

        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.usagePercent()).isNull();
        assertThat(message.toString()).contains("Request is 18446744073709551617: outside 0 to 9223372036854775807")
                .contains("*Usage*\\nunknown");
    }
}
