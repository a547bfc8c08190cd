package io.github.chatcallbackrouter.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.Json;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    private static Alert alert(String serviceName, String command, int request, int limit) throws Exception {
        JsonNode payload = Json.MAPPER.readTree("{\"ServiceName\":\"" + serviceName + "\",\"Command\":\"" + command
                + "\",\"Request\":" + request + ",\"Limit\":" + limit + "}");
        CallbackEvent event = new CallbackEvent("e-42", "1400000001", "Alert.RequestOverLimit", "after", null, null,
                "2026-11-26T10:00:00Z", payload);
        return new AlertClassifier().classify(event).orElseThrow();
    }

    @Test
    void rendersTheOverLimitAlarmAsBlockKitWithSlacksOwnKeys() throws Exception {
        JsonNode message = Json.MAPPER.readTree(SlackMessage.render(alert("openim", "batchsendmsg", 510, 200)));

        assertThat(message).isEqualTo(Json.MAPPER.readTree("""
                {"text":"CRITICAL: openim/batchsendmsg at 255% (510 of 200 QPS), SDKAppID 1400000001",
                 "blocks":[
                  {"type":"header","text":{"type":"plain_text","emoji":true,
                   "text":":red_circle: Over its rate limit: Sends one-to-one messages to multiple users at 255%"}},
                  {"type":"section","fields":[
                   {"type":"mrkdwn","text":"*API*\\n`openim/batchsendmsg`\\nSends one-to-one messages to multiple users"},
                   {"type":"mrkdwn","text":"*Observed*\\n510 QPS"},
                   {"type":"mrkdwn","text":"*Limit*\\n200 QPS (docs: 200/s)"},
                   {"type":"mrkdwn","text":"*Usage*\\n*255%*"},
                   {"type":"mrkdwn","text":"*Severity*\\n:red_circle: critical"},
                   {"type":"mrkdwn","text":"*SDKAppID*\\n1400000001"},
                   {"type":"mrkdwn","text":"*Time*\\n<!date^1795687200^{date_short_pretty} {time_secs}|2026-11-26T10:00:00Z>"}]},
                  {"type":"context","elements":[{"type":"mrkdwn",
                   "text":"Tencent Cloud Chat `Alert.RequestOverLimit` · event e-42"}]}]}
                """));
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
