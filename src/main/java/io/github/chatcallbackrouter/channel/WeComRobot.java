package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.util.List;
import java.util.Set;

/**
 * A WeCom (企业微信) group robot (https://developer.work.weixin.qq.com/document/path/99110): a markdown message of at
 * most 4096 bytes of UTF-8. Markdown can mention a member only by user id ({@code <@zhangsan>}); a critical alarm
 * whose channel mentions a mobile number or {@code @all} goes as a text message instead (at most 2048 bytes), the
 * only kind with {@code mentioned_mobile_list}. It answers HTTP 200 with {@code errcode}: 0 is delivered, 45009
 * (over 20 messages a minute) waits a minute, -1 (busy) is tried again, and a removed robot or a bad key (93000,
 * 93004), a message it cannot take (40008, 44004, 45002) or any other code is refused for good.
 */
public final class WeComRobot extends CardRobot {

    static final int MARKDOWN_MAX_BYTES = 4096;
    static final int TEXT_MAX_BYTES = 2048;
    private static final long THROTTLED_MILLIS = 60_000;
    private static final Set<String> MENTION = Set.of("@all");

    @Override
    protected String render(AlertCard card, Channel channel) {
        List<String> mentions = card.critical() ? channel.mentions() : List.of();
        ObjectNode message = Json.MAPPER.createObjectNode();
        if (mentions.stream().anyMatch(m -> MENTION.contains(m) || isMobile(m))) {
            message.put("msgtype", "text");
            ObjectNode text = message.putObject("text");
            text.put("content", Text.truncateUtf8(card.emoji() + " " + card.text(), TEXT_MAX_BYTES));
            ArrayNode users = text.putArray("mentioned_list");
            ArrayNode mobiles = text.putArray("mentioned_mobile_list");
            for (String mention : mentions) {
                (isMobile(mention) ? mobiles : users).add(mention);
            }
            return message.toString();
        }
        StringBuilder markdown = new StringBuilder("### ").append(card.emoji()).append(' ').append(card.headline());
        for (AlertCard.Fact fact : card.facts()) {
            markdown.append("\n> **").append(fact.name()).append("**: ").append(fact.value());
        }
        markdown.append("\n<font color=\"comment\">").append(card.footer()).append("</font>");
        mentions.forEach(user -> markdown.append(" <@").append(user).append('>'));
        message.put("msgtype", "markdown");
        message.putObject("markdown").put("content", Text.truncateUtf8(markdown.toString(), MARKDOWN_MAX_BYTES));
        return message.toString();
    }

    @Override
    protected String mentionsAre() {
        return "user ids, mobile numbers or @all, comma separated";
    }

    @Override
    public Verdict judge(Answer answer) {
        if (answer.status() < 200 || answer.status() >= 300) {
            return super.judge(answer);
        }
        JsonNode body = json(answer.body());
        int code = body.path("errcode").asInt(Integer.MIN_VALUE);
        String said = said("errcode", body, "errmsg", answer.body());
        return switch (code) {
            case 0 -> Verdict.delivered(said);
            case 45009 -> Verdict.rateLimited(THROTTLED_MILLIS, said);
            case -1 -> Verdict.retry(said);
            default -> Verdict.refused(said);
        };
    }
}
