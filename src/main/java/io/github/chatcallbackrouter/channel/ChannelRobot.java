package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.HttpReceiver;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * How one kind of receiver is spoken to, all of it in one place: the body an alert becomes (at once, when it is
 * kept), the request of each attempt (signed then, since a signature expires), and what its answer means. A
 * robot's {@link Verdict} is its own reading of status and body: a group robot answers HTTP 200 with an error code,
 * and that is never counted as delivered. Queues, pacing and retries are the delivery engine's.
 *
 * <p>A robot is a {@link io.github.chatcallbackrouter.delivery.Destination}'s receiver (channels.camel.yaml); it
 * finds a delivery's channel, and so its secret, in the {@link Channels} of its CamelContext.
 */
public abstract class ChannelRobot extends HttpReceiver implements CamelContextAware {

    private CamelContext camelContext;
    private volatile Channels channels;

    protected ChannelRobot() {
        super("", "");
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The body of one alert's message to this channel. */
    public abstract String alert(Alert alert, Channel channel);

    /** The body of a group's summary at the end of its window; null when the receiver takes none. */
    public abstract String summary(AlertGroup group, Channel channel);

    /** The body of a silence's summary when it ends; null when the receiver takes none (an incident API). */
    public abstract String silenceSummary(SilencedAlarms hidden, Channel channel);

    /** Why a channel's mention setting is not one this receiver can use; null when it is. */
    public String mentionProblem(String mention) {
        return mention.isBlank() ? null : "not a mention this kind of channel takes: it mentions nobody";
    }

    /**
     * Whether the receiver can drop a message it gets twice (a dedup key): when it cannot, a message that went
     * out and got no answer is tried once more at most.
     */
    protected boolean dropsDuplicates() {
        return true;
    }

    @Override
    public final Request format(Delivery delivery, Instant now) {
        return format(delivery, channel(delivery), now);
    }

    /**
     * The request of one attempt to this channel, made now: to the channel's URL as the settings give it now (a
     * delivery keeps only a redacted copy, which names its lane), with its secret.
     */
    public Request format(Delivery delivery, Channel channel, Instant now) {
        return new Request(channel.url(), Map.of("Content-Type", delivery.contentType()), bytes(delivery.body()));
    }

    @Override
    public Verdict unreachable(String why, boolean sent) {
        return sent && !dropsDuplicates() ? Verdict.unknown(why) : Verdict.retry(why);
    }

    /** The channel a delivery is for (its destination's NAME), as the settings declare it now. */
    private Channel channel(Delivery delivery) {
        String destination = delivery.destination();
        String name = destination.contains(":") ? destination.substring(destination.indexOf(':') + 1) : Channels.SLACK;
        Channels known = channels;
        if (known == null && camelContext != null) {
            known = camelContext.getRegistry().findSingleByType(Channels.class);
            channels = known;
        }
        Channel channel = known == null ? null : known.find(name).orElse(null);
        if (channel == null || !channel.isOn()) {
            throw new IllegalStateException("channel " + name + " is no longer declared, or has no URL any more");
        }
        return channel;
    }

    /** The answer's body as JSON; missing when it is not JSON. */
    protected static JsonNode json(String body) {
        try {
            JsonNode read = body == null ? null : Json.MAPPER.readTree(body);
            return read == null ? MissingNode.getInstance() : read;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** A robot's answer in one line for logs and dead letters: "errcode 45009 api freq out of limit". */
    protected static String said(String field, JsonNode body, String messageField, String rawBody) {
        JsonNode code = body.path(field);
        return LogText.of(field + " " + (code.isMissingNode() ? "missing" : code.asText()) + " "
                + body.path(messageField).asText(code.isMissingNode() ? String.valueOf(rawBody) : ""));
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
