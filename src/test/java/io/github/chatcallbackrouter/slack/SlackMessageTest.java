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
        CallbackEvent event = new CallbackEvent("0d5e4b0c-42aa-4f5e-9d1c-3b7a2f0e9a11", "1400000001", "Alert.RequestOverLimit", "after", null, null,
                "2026-11-26T10:00:00Z", payload);
        return new AlertClassifier().classify(event).orElseThrow();
    }

    @Test
    void rendersTheOverLimitAlarmAsBlockKitWithSlacksOwnKeys() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("openim", "batchsendmsg", 510, 200)));

        // the same expectation as the fake Slack's in AlertDeliveryTest
        assertThat(new EqualToJsonPattern(Samples.expected("slack-over-limit-sample.json"), false, false)
                .match(message.toString()).isExactMatch()).as(message.toString()).isTrue();
        assertThat(message.at("/blocks/1/fields/6/text").asText())
                .isEqualTo("*Time*\n<!date^1795687200^{date_short_pretty} {time_secs}|2026-11-26T10:00:00Z>");
    }

    @Test
    void aWarningWearsOrange() throws Exception {
        String message = SlackMessage.render(alert("openim", "sendmsg", 170, 200));

        assertThat(message).contains(":large_orange_circle: Near its rate limit").contains("warning")
                .doesNotContain("red_circle");
    }

    @Test
    void textFromTheCallbackCannotPingTheChannelOrForgeLinks() throws Exception {
        JsonNode message = Json.MAPPER.readTree(
                SlackMessage.render(alert("<!channel>", "<http://evil|click>", 300, 200)));

        // Slack reads control sequences in the top-level text and mrkdwn fields (plain_text headers show them as is)
        java.util.List<String> markdown = new java.util.ArrayList<>();
        markdown.add(message.get("text").asText());
        message.at("/blocks/1/fields").forEach(field -> markdown.add(field.get("text").asText()));
        assertThat(markdown).noneMatch(text -> text.contains("<!channel>") || text.contains("<http://evil"));
        assertThat(markdown.get(1)).contains("&lt;!channel&gt;/&lt;http://evil|click&gt;");
    }

    @Test
    void staysWithinSlacksHeaderLimit() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("svc", "x".repeat(400), 300, 200)));

        assertThat(message.at("/blocks/0/text/text").asText()).hasSizeLessThanOrEqualTo(150);
    }
}
