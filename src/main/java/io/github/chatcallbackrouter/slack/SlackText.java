package io.github.chatcallbackrouter.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Block Kit message as a reader sees it in Slack, as plain lines: the header, each section (a field as
 * "Name: value"), the context line; dates, links and mentions shown as their text, bold marks and escapes gone.
 * For {@code explain}, so a rule editor sees the post without posting it.
 */
public final class SlackText {

    /** {@code <!date^…|fallback>}, {@code <url|text>}, {@code <!subteam^ID>}, {@code <@U…>}, {@code <!here>}. */
    private static final Pattern ANGLE = Pattern.compile("<([^<>|]*)(?:\\|([^<>]*))?>");

    private SlackText() {
    }

    public static String of(String messageJson) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(messageJson);
        } catch (IOException e) {
            return messageJson;
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode block : message.path("blocks")) {
            switch (block.path("type").asText()) {
                case "header" -> lines.add(shown(block.at("/text/text").asText()));
                case "section" -> {
                    if (block.has("text")) {
                        lines.add(shown(block.at("/text/text").asText()));
                    }
                    for (JsonNode field : block.path("fields")) {
                        String[] nameAndValue = shown(field.path("text").asText()).split("\n", 2);
                        lines.add(nameAndValue.length == 2
                                ? nameAndValue[0] + ": " + nameAndValue[1].replace("\n", " / ") : nameAndValue[0]);
                    }
                }
                case "context" -> block.path("elements").forEach(element -> lines.add(shown(element.path("text").asText())));
                default -> {
                }
            }
        }
        if (lines.isEmpty()) {
            lines.add(shown(message.path("text").asText()));
        }
        return String.join("\n", lines);
    }

    private static String shown(String mrkdwn) {
        Matcher angle = ANGLE.matcher(mrkdwn);
        StringBuilder text = new StringBuilder();
        while (angle.find()) {
            String target = angle.group(1);
            String label = angle.group(2);
            String replacement = label != null ? label
                    : target.startsWith("!subteam^") ? "@" + target.substring("!subteam^".length())
                    : target.startsWith("!") ? "@" + target.substring(1)
                    : target;
            angle.appendReplacement(text, Matcher.quoteReplacement(replacement));
        }
        angle.appendTail(text);
        return text.toString().replaceAll("\\*([^*\n]+)\\*", "$1")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
