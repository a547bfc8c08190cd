package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.util.List;

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"; the Office 365
 * connectors it replaces are retired): an Adaptive Card 1.2 in a {@code message}'s {@code attachments}, the headline
 * coloured by severity and the facts as a FactSet, at most 28 KB. A critical alarm mentions the channel's people by
 * their Teams sign-in name ({@code <at>…</at>} and an entity each). 2xx is delivered, except a body that reports
 * Teams' own 429 or 413 (the legacy connectors answer 200 so); 429 waits what Retry-After says, 5xx is tried again.
 */
public final class TeamsWorkflow extends CardRobot {

    static final int BODY_MAX_BYTES = 28_000;
    private static final long THROTTLED_MILLIS = 30_000;

    @Override
    protected String render(AlertCard card, Channel channel) {
        ObjectNode content = Json.MAPPER.createObjectNode();
        content.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        content.put("type", "AdaptiveCard");
        content.put("version", "1.2");
        ArrayNode body = content.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", card.emoji() + " " + card.headline())
                .put("weight", "Bolder").put("size", "Medium").put("wrap", true)
                .put("color", switch (card.severity()) {
                    case "critical" -> "Attention";
                    case "warning" -> "Warning";
                    default -> "Default";
                });
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        for (AlertCard.Fact fact : card.facts()) {
            facts.addObject().put("title", fact.name()).put("value", fact.value());
        }
        body.addObject().put("type", "TextBlock").put("text", card.footer()).put("isSubtle", true)
                .put("size", "Small").put("wrap", true);
        ObjectNode msteams = content.putObject("msteams");
        msteams.put("width", "Full");
        List<String> mentions = card.critical() ? channel.mentions() : List.of();
        if (!mentions.isEmpty()) {
            StringBuilder text = new StringBuilder();
            ArrayNode entities = msteams.putArray("entities");
            for (String person : mentions) {
                text.append("<at>").append(person).append("</at> ");
                entities.addObject().put("type", "mention").put("text", "<at>" + person + "</at>")
                        .putObject("mentioned").put("id", person).put("name", person);
            }
            body.addObject().put("type", "TextBlock").put("text", text.toString().strip()).put("wrap", true);
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("type", "message");
        message.putArray("attachments").addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive")
                .set("content", content);
        String rendered = message.toString();
        return Text.utf8Length(rendered) <= BODY_MAX_BYTES ? rendered
                : render(new AlertCard(card.severity(), card.headline(), List.of(), Text.truncateUtf8(card.text(),
                        BODY_MAX_BYTES / 2)), channel);
    }

    @Override
    protected String mentionsAre() {
        return "Teams sign-in names (user@example.com), comma separated";
    }

    @Override
    public Verdict judge(Answer answer) {
        String body = answer.body() == null ? "" : answer.body();
        if (answer.status() >= 200 && answer.status() < 300) {
            if (body.contains("HTTP error 429")) {
                return Verdict.rateLimited(THROTTLED_MILLIS, describe(answer));
            }
            if (body.contains("HTTP error 413")) {
                return Verdict.refused(describe(answer));
            }
        }
        return super.judge(answer);
    }
}
