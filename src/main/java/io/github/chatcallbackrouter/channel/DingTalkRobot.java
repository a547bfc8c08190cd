package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A DingTalk (钉钉) custom robot (https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages): a
 * markdown message, the whole body at most 20 000 bytes. A critical alarm mentions the channel's people in the
 * {@code at} object (mobiles, user ids, {@code @all}) and in the text, where DingTalk wants them too. With a
 * secret, each attempt is signed then ({@code timestamp} and {@code sign} in the URL: HmacSHA256 of
 * "timestamp\nsecret", Base64, URL-encoded), since DingTalk refuses a signature older than an hour and a retry may
 * come later. It answers HTTP 200 with {@code errcode}: 0 is delivered; 410100 and the older 130101 (over 20
 * messages a minute, which blocks the robot for ten minutes) wait ten minutes; -1 (busy) is tried again; a bad or
 * disabled token (4001xx), a failed signature, keyword or IP check (310000), a body too large (460101) or any
 * other code is refused for good.
 */
public final class DingTalkRobot extends CardRobot {

    static final int BODY_MAX_BYTES = 20_000;
    private static final long THROTTLED_MILLIS = 600_000;
    /** Room left in the body for the markdown's JSON escapes and the at object. */
    private static final int ENVELOPE_BYTES = 2_000;

    @Override
    protected String render(AlertCard card, Channel channel) {
        List<String> mentions = card.critical() ? channel.mentions() : List.of();
        StringBuilder text = new StringBuilder("### ").append(card.emoji()).append(' ').append(card.headline());
        for (AlertCard.Fact fact : card.facts()) {
            text.append("\n\n- **").append(fact.name()).append("**: ").append(fact.value());
        }
        text.append("\n\n> ").append(card.footer());
        if (!mentions.isEmpty()) {
            text.append("\n\n");
            mentions.forEach(mention -> text.append(mention.equals("@all") ? "@all" : "@" + mention).append(' '));
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("msgtype", "markdown");
        message.putObject("markdown")
                .put("title", Text.truncate(card.emoji() + " " + card.headline(), 100))
                .put("text", Text.truncateUtf8(text.toString().strip(), BODY_MAX_BYTES - ENVELOPE_BYTES));
        ObjectNode at = message.putObject("at");
        at.put("isAtAll", mentions.contains("@all"));
        for (String mention : mentions) {
            if (!mention.equals("@all")) {
                at.withArray(isMobile(mention) ? "atMobiles" : "atUserIds").add(mention);
            }
        }
        return message.toString();
    }

    @Override
    public Request format(Delivery delivery, Channel channel, Instant now) {
        String url = channel.url();
        if (!channel.secret().isEmpty()) {
            long timestamp = now.toEpochMilli();
            url += (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                    + URLEncoder.encode(sign(timestamp, channel.secret()), StandardCharsets.UTF_8);
        }
        return new Request(url, Map.of("Content-Type", delivery.contentType()), bytes(delivery.body()));
    }

    /** Base64 of HmacSHA256 with the secret as key over "timestamp\nsecret" (the timestamp in milliseconds). */
    static String sign(long timestampMillis, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(
                    mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    protected String mentionsAre() {
        return "mobile numbers, user ids or @all, comma separated";
    }

    @Override
    public Verdict judge(Answer answer) {
        if (answer.status() < 200 || answer.status() >= 300) {
            return super.judge(answer);
        }
        JsonNode body = json(answer.body());
        String said = said("errcode", body, "errmsg", answer.body());
        return switch (body.path("errcode").asInt(Integer.MIN_VALUE)) {
            case 0 -> Verdict.delivered(said);
            case 410100, 130101 -> Verdict.rateLimited(THROTTLED_MILLIS, said);
            case -1 -> Verdict.retry(said);
            default -> Verdict.refused(said);
        };
    }
}
