package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Feishu (飞书) or Lark custom bot (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): an
 * interactive card (schema 2.0: a coloured header, the facts as markdown) whose summary is the text a notification
 * shows, the body at most 20 KB. A critical alarm mentions the channel's people ({@code <at id=ou_…></at>},
 * {@code all}). With a secret, each attempt is signed then ({@code timestamp} in seconds and {@code sign} in the
 * body: Base64 of HmacSHA256 keyed with "timestamp\nsecret" over nothing), since Feishu refuses a signature older
 * than an hour. It answers with {@code code} (or the older {@code StatusCode}): 0 is delivered, 11232 (too many
 * messages: 100 a minute, 5 a second) waits a minute, and a failed signature (19021), IP (19022) or keyword
 * (19024) check, a bad request (9499) or any other code is refused for good.
 */
public final class FeishuBot extends CardRobot {

    static final int BODY_MAX_BYTES = 20_000;
    private static final long THROTTLED_MILLIS = 60_000;
    /** Room left in the body for the card around the markdown, the JSON escapes and the signature. */
    private static final int ENVELOPE_BYTES = 3_000;

    @Override
    protected String render(AlertCard card, Channel channel) {
        StringBuilder markdown = new StringBuilder();
        for (AlertCard.Fact fact : card.facts()) {
            markdown.append("**").append(fact.name()).append("**: ").append(fact.value()).append('\n');
        }
        markdown.append("<font color='grey'>").append(card.footer()).append("</font>");
        List<String> mentions = card.critical() ? channel.mentions() : List.of();
        if (!mentions.isEmpty()) {
            markdown.append('\n');
            mentions.forEach(m -> markdown.append("<at id=").append(m.equals("@all") ? "all" : m).append("></at> "));
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("msg_type", "interactive");
        ObjectNode cardNode = message.putObject("card");
        cardNode.put("schema", "2.0");
        cardNode.putObject("config").putObject("summary")
                .put("content", Text.truncate(card.emoji() + " " + card.headline(), 120));
        ObjectNode header = cardNode.putObject("header");
        header.putObject("title").put("tag", "plain_text").put("content", card.emoji() + " " + card.headline());
        header.put("template", switch (card.severity()) {
            case "critical" -> "red";
            case "warning" -> "orange";
            default -> "blue";
        });
        ArrayNode elements = cardNode.putObject("body").putArray("elements");
        elements.addObject().put("tag", "markdown")
                .put("content", Text.truncateUtf8(markdown.toString().strip(), BODY_MAX_BYTES - ENVELOPE_BYTES));
        return message.toString();
    }

    @Override
    public Request format(Delivery delivery, Channel channel, Instant now) {
        String body = delivery.body();
        if (!channel.secret().isEmpty()) {
            try {
                ObjectNode signed = (ObjectNode) Json.MAPPER.readTree(body);
                long timestamp = now.getEpochSecond();
                signed.put("timestamp", String.valueOf(timestamp));
                signed.put("sign", sign(timestamp, channel.secret()));
                body = signed.toString();
            } catch (IOException e) {
                throw new UncheckedIOException("a Feishu message that is not JSON", e);
            }
        }
        return new Request(channel.url(), Map.of("Content-Type", delivery.contentType()), bytes(body));
    }

    /** Base64 of HmacSHA256 keyed with "timestamp\nsecret" (the timestamp in seconds) over an empty message. */
    static String sign(long timestampSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    protected String mentionsAre() {
        return "open_ids (ou_...) or user ids, or all, comma separated";
    }

    @Override
    public Verdict judge(Answer answer) {
        JsonNode body = json(answer.body());
        String field = body.has("code") ? "code" : "StatusCode";
        if (!body.has(field)) {
            return answer.status() >= 200 && answer.status() < 300
                    ? Verdict.refused("HTTP " + answer.status() + " without a code: " + said(field, body, "msg",
                            answer.body()))
                    : super.judge(answer);
        }
        String said = said(field, body, field.equals("code") ? "msg" : "StatusMessage", answer.body());
        return switch (body.path(field).asInt(Integer.MIN_VALUE)) {
            case 0 -> Verdict.delivered(said);
            case 11232 -> Verdict.rateLimited(THROTTLED_MILLIS, said);
            default -> answer.status() >= 500 ? Verdict.retry(said) : Verdict.refused(said);
        };
    }
}
