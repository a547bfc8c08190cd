package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any endpoint that takes JSON (Opsgenie, an in-house gateway...): the body is the channel's template, a Mustache
 * file (https://mustache.github.io/mustache.5.html) rendered with what the message says, or, with no template,
 * that as JSON. Mustache because it is logic-less, small and without dependencies, and its escaping is made JSON's
 * here: {@code "{{headline}}"} in a template is always a valid JSON string, whatever the callback sent (Camel's
 * simple language escapes nothing; FreeMarker is a language of its own, more than a body needs). The secret, when
 * given, is each post's Authorization header. The answer is read by its HTTP status alone.
 *
 * <p>What a template can use: {@code kind} (alert, summary, silence-summary), {@code severity}, {@code headline},
 * {@code text} (the whole message as lines), {@code facts} (each a {@code name} and {@code value}), {@code footer},
 * {@code channel}, and {@code {{{json}}}}: the alert (or the group, or the silence's count) as JSON.
 */
public final class JsonWebhook extends ChannelRobot {

    private final Map<String, Compiled> templates = new HashMap<>();

    private record Compiled(long modified, Mustache mustache) {
    }

    @Override
    public String alert(Alert alert, Channel channel) {
        return body("alert", AlertCard.of(alert), alert, channel);
    }

    @Override
    public String summary(AlertGroup group, Channel channel) {
        return body("summary", AlertCard.summary(group), group, channel);
    }

    @Override
    public String silenceSummary(SilencedAlarms hidden, Channel channel) {
        return body("silence-summary", AlertCard.silenceSummary(hidden), hidden, channel);
    }

    private String body(String kind, AlertCard card, Object subject, Channel channel) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("kind", kind);
        scope.put("severity", card.severity());
        scope.put("headline", card.headline());
        scope.put("text", card.text());
        scope.put("facts", card.facts().stream().map(f -> Map.of("name", f.name(), "value", f.value())).toList());
        scope.put("footer", card.footer());
        scope.put("channel", channel.name());
        String json = Json.MAPPER.valueToTree(subject).toString();
        if (channel.template().isEmpty()) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("kind", kind).put("severity", card.severity()).put("text", card.text());
            body.set(kind.equals("alert") ? "alert" : kind.equals("summary") ? "group" : "silence",
                    Json.MAPPER.valueToTree(subject));
            return body.toString();
        }
        scope.put("json", json);
        StringWriter out = new StringWriter();
        template(channel.template()).execute(out, List.of(scope));
        return out.toString();
    }

    /**
     * Why a template cannot be used: unreadable, not Mustache, or not JSON once rendered with a sample alert; null
     * when it renders.
     */
    String templateProblem(Channel channel) {
        try {
            Json.MAPPER.readTree(alert(SampleAlert.ALERT, channel));
            return null;
        } catch (IOException | RuntimeException e) {
            return "its template " + channel.template() + " does not render JSON: " + e.getMessage();
        }
    }

    @Override
    public Request format(Delivery delivery, Channel channel, Instant now) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", delivery.contentType()));
        if (!channel.secret().isEmpty()) {
            headers.put("Authorization", channel.secret());
        }
        return new Request(channel.url(), headers, bytes(delivery.body()));
    }

    /** The template, compiled again when its file changed. */
    private synchronized Mustache template(String file) {
        Path path = Path.of(file);
        try {
            long modified = Files.getLastModifiedTime(path).toMillis();
            Compiled known = templates.get(file);
            if (known == null || known.modified() != modified) {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                known = new Compiled(modified, new JsonEscaping().compile(new StringReader(text), file));
                templates.put(file, known);
            }
            return known.mustache();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + file, e);
        }
    }

    /** Mustache whose {{value}} is escaped as inside a JSON string. */
    private static final class JsonEscaping extends DefaultMustacheFactory {

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(JsonStringEncoder.getInstance().quoteAsString(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
