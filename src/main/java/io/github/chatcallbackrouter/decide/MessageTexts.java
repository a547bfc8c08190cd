package io.github.chatcallbackrouter.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text a person reads in a message callback: every text-bearing field of every element of its {@code MsgBody}
 * (Tencent's message elements, https://www.tencentcloud.com/document/product/1047/33527), and its
 * {@code CloudCustomData}. A rule that looked only at TIMTextElem would let a custom element's Desc, or a word split
 * over two text elements, through.
 */
final class MessageTexts {

    /** The fields of each element type that carry text a client may show. */
    private static final Map<String, List<String>> TEXT_FIELDS = Map.of(
            "TIMTextElem", List.of("Text"),
            "TIMCustomElem", List.of("Data", "Desc", "Ext", "Sound"),
            "TIMLocationElem", List.of("Desc"),
            "TIMFaceElem", List.of("Data"),
            "TIMFileElem", List.of("FileName"),
            "TIMRelayElem", List.of("Title", "CompatibleText"));

    /**
     * One text field: the object that holds it, its name, and whether it is a text element's Text (the message's
     * text proper, read across elements).
     */
    record Field(ObjectNode holder, String name, boolean messageText) {

        String text() {
            return holder.path(name).asText("");
        }
    }

    private MessageTexts() {
    }

    /** The text fields of a MsgBody (an array of elements), in order. */
    static List<Field> of(JsonNode msgBody) {
        List<Field> fields = new ArrayList<>();
        for (JsonNode element : msgBody) {
            String type = element.path("MsgType").asText();
            JsonNode content = element.path("MsgContent");
            if (!content.isObject()) {
                continue;
            }
            for (String name : TEXT_FIELDS.getOrDefault(type, List.of())) {
                if (content.path(name).isTextual()) {
                    fields.add(new Field((ObjectNode) content, name, type.equals("TIMTextElem")));
                }
            }
        }
        return fields;
    }

    /** Every text a person may read in the callback: its MsgBody's fields and its CloudCustomData. */
    static List<String> all(JsonNode payload) {
        List<String> texts = new ArrayList<>();
        of(payload.path("MsgBody")).forEach(field -> texts.add(field.text()));
        if (payload.path("CloudCustomData").isTextual()) {
            texts.add(payload.get("CloudCustomData").asText());
        }
        return texts;
    }

    /** The message's text proper: its text elements' Text, in order. */
    static List<String> messageText(JsonNode payload) {
        return of(payload.path("MsgBody")).stream().filter(Field::messageText).map(Field::text).toList();
    }
}
