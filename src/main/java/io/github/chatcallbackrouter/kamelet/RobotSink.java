package io.github.chatcallbackrouter.kamelet;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.channel.Channel;
import io.github.chatcallbackrouter.channel.ChannelKind;
import io.github.chatcallbackrouter.channel.ChannelRobot;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.Receiver;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The robot sinks' one step ({@code wecom-robot-sink}, {@code dingtalk-robot-sink}, {@code feishu-bot-sink}): an
 * alert (as the alarm action emits it) rendered, signed and posted by the router's own {@link ChannelRobot} for the
 * kind, and the robot's answer judged as the router judges it. Anything but delivered fails the exchange with a
 * {@link ReceiverRefusedException}, so the Pipe's error handler sees it; a redelivery posts again, signed afresh.
 */
public final class RobotSink implements Processor {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ANSWER_BYTES = 65_536;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private ChannelKind kind = ChannelKind.WEBHOOK;
    private String url = "";
    private String secret = "";
    private String mention = "";

    /** wecom, dingtalk, feishu or lark. */
    public void setKind(String kind) {
        this.kind = ChannelKind.of(kind).orElseThrow(() -> new IllegalArgumentException("not a robot: " + kind));
    }

    /** The robot's whole webhook URL. */
    public void setUrl(String url) {
        this.url = url.trim();
    }

    /** The signing secret, for robots that sign (DingTalk, Feishu); empty: none. */
    public void setSecret(String secret) {
        this.secret = secret == null ? "" : secret.trim();
    }

    /** Who a critical alarm mentions, in the robot's terms, comma separated. */
    public void setMention(String mention) {
        this.mention = mention == null ? "" : mention.trim();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Alert alert = Json.MAPPER.readValue(exchange.getIn().getBody(String.class), Alert.class);
        Channel channel = new Channel("kamelet", kind, url, secret, mention, "");
        ChannelRobot robot = kind.robot();
        Instant now = Instant.now();
        Delivery delivery = new Delivery(alert.eventId(), channel.destination(), Urls.redact(url), null, false,
                robot.alert(alert, channel), "application/json; charset=utf-8", false, alert.title(), now.toString(),
                true);
        Receiver.Request request = robot.format(delivery, channel, now);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(request.url())).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(post::header);
        Verdict verdict;
        try {
            HttpResponse<InputStream> answer = http.send(post.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = answer.body()) {
                body = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
            }
            verdict = robot.judge(new Receiver.Answer(answer.statusCode(), Map.of(), body));
        } catch (IOException e) {
            verdict = robot.unreachable(e.toString(), false);
        }
        exchange.getIn().setHeader("ChatReceiverAnswer", verdict.answer());
        if (verdict.kind() != Verdict.Kind.DELIVERED) {
            throw new ReceiverRefusedException(kind.word() + " robot at " + Urls.redact(url) + ": "
                    + verdict.kind().name().toLowerCase(Locale.ROOT) + ", " + verdict.answer(), verdict);
        }
    }
}
