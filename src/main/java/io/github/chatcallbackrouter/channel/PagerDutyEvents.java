package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * PagerDuty's Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): an alarm is a
 * {@code trigger} whose {@code dedup_key} is the same for every alarm of its group (API × app) on this channel, so a
 * storm is one incident; when the group has been quiet for alerts.resolve-after, a {@code resolve} with that key
 * closes it ({@link Incidents}). The summary is at most 1 024 characters, the severity critical or warning, and the
 * enriched alert goes in {@code custom_details} (replaced by a note if the event would pass 512 KB). The routing
 * key is the channel's secret, added to each attempt and never kept. A group's repeats and a silence's summary are
 * not sent: the open incident already says it. 202 is delivered, 400 refused, 429 and 5xx tried again.
 */
public final class PagerDutyEvents extends ChannelRobot {

    static final int SUMMARY_MAX = 1024;
    static final int EVENT_MAX_BYTES = 512_000;

    @Override
    public String alert(Alert alert, Channel channel) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_action", "trigger");
        event.put("dedup_key", dedupKey(channel.name(), alert.groupKey()));
        event.put("client", "chat-callback-router");
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", Text.truncate(AlertCard.of(alert).headline() + ", SDKAppID "
                + AlertCard.inert(alert.sdkAppId()), SUMMARY_MAX));
        payload.put("source", "tencent-chat/" + alert.sdkAppId());
        payload.put("severity", "critical".equals(alert.severity()) ? "critical" : "warning");
        payload.put("timestamp", alert.receivedAt());
        payload.put("component", alert.api() != null ? alert.api() : alert.command());
        payload.put("group", alert.sdkAppId());
        payload.put("class", alert.type());
        payload.set("custom_details", Json.MAPPER.valueToTree(alert));
        if (event.toString().getBytes(StandardCharsets.UTF_8).length > EVENT_MAX_BYTES - 200) {
            payload.putObject("custom_details").put("note", "the alert was too large for PagerDuty's 512 KB; it is"
                    + " whole in the router's alert file, event " + alert.eventId());
        }
        return event.toString();
    }

    @Override
    public String summary(AlertGroup group, Channel channel) {
        return null;
    }

    @Override
    public String silenceSummary(SilencedAlarms hidden, Channel channel) {
        return null;
    }

    /** The event that closes an incident. */
    String resolve(Incident incident) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_action", "resolve");
        event.put("dedup_key", incident.dedupKey());
        return event.toString();
    }

    @Override
    public Request format(Delivery delivery, Channel channel, Instant now) {
        try {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(delivery.body());
            event.put("routing_key", channel.secret());
            return new Request(channel.url(), Map.of("Content-Type", delivery.contentType()),
                    bytes(event.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("a PagerDuty event that is not JSON", e);
        }
    }

    /** One key per channel and alarm group: a SHA-256 of both, so nothing of the callback is in it. */
    static String dedupKey(String channel, String groupKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((channel + "\n" + groupKey).getBytes(StandardCharsets.UTF_8));
            return "tencent-chat-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
